package dev.nullspend.it.apps;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/**
 * Embedded Tomcat serving one webapp from a folder (its servlet in {@code WEB-INF/classes}, OkHttp in
 * {@code WEB-INF/lib}, loaded by the webapp class loader), asked once for {@code /calls}; prints the
 * servlet's lines. Args: {@code baseDir webappDir client wholeUrl streamedUrl deniedUrl}.
 */
public final class TomcatApp {
    private TomcatApp() {
    }

    public static void main(String[] args) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(args[0]);
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", new File(args[1]).getAbsolutePath());
        Tomcat.addServlet(context, "calls", "dev.nullspend.it.containers.CallsServlet");
        context.addServletMappingDecoded("/calls", "calls");
        tomcat.start();
        try {
            String query = "client=" + args[2] + "&whole=" + encode(args[3]) + "&streamed=" + encode(args[4])
                    + "&denied=" + encode(args[5]);
            URI uri = URI.create("http://127.0.0.1:" + tomcat.getConnector().getLocalPort() + "/calls?" + query);
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.print(response.body());
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
