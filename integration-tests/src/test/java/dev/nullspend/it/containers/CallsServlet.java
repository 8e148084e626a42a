package dev.nullspend.it.containers;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/** The webapp's servlet: {@code GET ?client=&whole=&streamed=&denied=} runs {@link ContainerCalls}, one line each. */
public final class CallsServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        PrintWriter out = response.getWriter();
        try {
            for (String line : ContainerCalls.run(request.getParameter("client"), request.getParameter("whole"),
                    request.getParameter("streamed"), request.getParameter("denied"))) {
                out.println(line);
            }
        } catch (Exception e) {
            out.println("failed=" + e);
        }
    }
}
