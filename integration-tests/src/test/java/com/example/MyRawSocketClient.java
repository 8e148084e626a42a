package com.example;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * An HTTP client of its own on a plain {@code java.net.Socket}, as a library the agent does not
 * instrument would be (its package has two segments, so the agent names the class itself).
 */
public final class MyRawSocketClient {
    private MyRawSocketClient() {
    }

    /** POSTs {@code json} to {@code path} on {@code host:port} and returns the response's status line. */
    public static String post(String host, int port, String path, String json) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            OutputStream out = socket.getOutputStream();
            out.write(Http11.request(host, port, path, json));
            out.flush();
            InputStream in = socket.getInputStream();
            return Http11.statusLine(in);
        }
    }
}
