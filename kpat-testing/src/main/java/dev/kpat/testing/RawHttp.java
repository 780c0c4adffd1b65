package dev.kpat.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 over a plain socket, byte for byte as given: no client library in between that would refuse or repair a
 * malformed request line, header or length. One request per connection, read until the server closes it.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /**
     * What came back: the status (0 when the server closed the connection without answering), the head and body as
     * ISO-8859-1 text; {@code timedOut} when nothing closed the connection within the timeout.
     */
    public record Response(int status, String head, String body, boolean timedOut) {
        public String all() {
            return head + "\r\n\r\n" + body;
        }
    }

    /** Sends {@code request}, half-closes, and reads the answer until the server closes or {@code timeout}. */
    public static Response exchange(int port, byte[] request, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
            } catch (SocketException closedEarly) {
                // the server may answer and close before taking the whole request (413, 431): read what it said
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean timedOut = false;
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            timedOut = true;
        } catch (SocketException reset) {
            // connection reset after the answer: what was read stands
        }
        String text = out.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        return new Response(status(head), head, body, timedOut);
    }

    private static int status(String head) {
        if (!head.startsWith("HTTP/1.") || head.length() < 12) {
            return 0;
        }
        try {
            return Integer.parseInt(head.substring(9, 12));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code request line}, headers and body as one HTTP/1.1 request, with Host and Connection: close added. */
    public static byte[] request(String requestLine, String headers, byte[] body) {
        String head = requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + headers;
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + 2 + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        out[h.length] = '\r';
        out[h.length + 1] = '\n';
        System.arraycopy(body, 0, out, h.length + 2, body.length);
        return out;
    }
}
