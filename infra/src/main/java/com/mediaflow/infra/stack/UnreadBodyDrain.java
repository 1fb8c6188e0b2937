package com.mediaflow.infra.stack;

import java.lang.reflect.Field;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.shaded.org.eclipse.jetty.http.HttpHeader;
import org.gaul.shaded.org.eclipse.jetty.http.HttpHeaderValue;
import org.gaul.shaded.org.eclipse.jetty.io.Content;
import org.gaul.shaded.org.eclipse.jetty.server.Handler;
import org.gaul.shaded.org.eclipse.jetty.server.Request;
import org.gaul.shaded.org.eclipse.jetty.server.Response;
import org.gaul.shaded.org.eclipse.jetty.server.Server;
import org.gaul.shaded.org.eclipse.jetty.util.Callback;

/**
 * Reads the rest of a request's body that S3Proxy answered without reading, before the exchange
 * ends, so that the connection stays usable and the client reads the answer.
 *
 * <p>S3Proxy answers some PUTs from their headers alone: an {@code If-Match} that does not match
 * (412), an {@code If-Match} on a missing key (404), a part of an upload that is no longer open
 * (404, {@link OpenUploadsOnly}), a refused signature. It writes and closes that answer inside its
 * servlet, so the answer is committed before Jetty (12.1, shaded in S3Proxy 4.1.0) learns that
 * the body was not read. Jetty then reads what body has already arrived
 * ({@code HttpStream.consumeAvailable}); when the rest is still on its way it fails the exchange
 * as "Unconsumed" and closes the socket. A client that sends the body right after its headers
 * (the SDK's url-connection client does so for the JSON documents and parts in UnreadBodyIT: no
 * {@code Expect: 100-continue}) is then still writing: its write fails ("Error writing request
 * body to server") and it never reads the answer that was sent. The SDK retries such an IOException, and a retried conditional write can
 * be answered differently than the first attempt was (a lost success reads as 412).
 *
 * <p>Here the body is read to its end after the handler has answered and before Jetty's own
 * check, which then finds it consumed and keeps the connection. A request that asked
 * {@code Expect: 100-continue} is left alone: a client waiting for the 100 has not sent its body,
 * reads the answer instead, and Jetty closes that connection itself (it cannot know whether the
 * body follows). Only the embedded stack's S3 has
 * this; the functions' clients and their retries are unchanged.
 */
final class UnreadBodyDrain extends Handler.Wrapper {
    UnreadBodyDrain(Handler handler) {
        super(handler);
    }

    /**
     * Puts the drain in front of the S3Proxy's handlers. Call before {@link S3Proxy#start()}.
     *
     * @throws IllegalStateException when this S3Proxy does not keep its Jetty server where 4.1.0 does
     */
    static void install(S3Proxy proxy) {
        Server server = server(proxy);
        Handler handler = server.getHandler();
        if (handler == null) {
            throw new IllegalStateException("expected S3Proxy's Jetty server to have its handler before start, found none");
        }
        server.setHandler(new UnreadBodyDrain(handler));
    }

    /** The S3Proxy's Jetty server, which S3Proxy 4.1.0 keeps in a private field and does not expose. */
    static Server server(S3Proxy proxy) {
        try {
            Field field = S3Proxy.class.getDeclaredField("server");
            field.setAccessible(true);
            return (Server) field.get(proxy);
        } catch (ReflectiveOperationException | ClassCastException | SecurityException e) {
            throw new IllegalStateException("expected S3Proxy (4.1.0) to keep its Jetty Server in the field 'server', found "
                    + e, e);
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString())) {
            return super.handle(request, response, callback);
        }
        return super.handle(request, response, new Callback() {
            @Override
            public void succeeded() {
                // reads to the end of this request's body (not into the next request): at once when
                // the handler read it all, else as the rest arrives; a failed read fails the exchange
                Content.Source.consumeAll(request, callback);
            }

            @Override
            public void failed(Throwable failure) {
                callback.failed(failure);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        });
    }
}
