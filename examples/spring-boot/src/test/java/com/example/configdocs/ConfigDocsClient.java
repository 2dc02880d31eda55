package com.example.configdocs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The service's HTTP API over real HTTP, as a client sees it. */
final class ConfigDocsClient {

    /** Longer than any wait a test asks for. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Response(int status, String contentType, JsonNode body) {

        String text(String field) {
            JsonNode value = body.get(field);
            return value == null ? null : value.asString();
        }

        long number(String field) {
            return body.get(field).asLong();
        }
    }

    private final URI base;

    ConfigDocsClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port + "/configdocs/");
    }

    /** POST /configdocs/{name}; {@code wait} null for none. */
    CompletableFuture<Response> updateAsync(String name, String content, String user, String requestId, Duration wait) {
        String query = wait == null ? "" : "?wait=" + wait;
        HttpRequest request = HttpRequest.newBuilder(base.resolve(name + query))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("X-User", user)
                .header("X-Request-Id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("content", content))))
                .build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(ConfigDocsClient::response);
    }

    Response update(String name, String content, String user, String requestId, Duration wait) throws Exception {
        return await(updateAsync(name, content, user, requestId, wait));
    }

    Response get(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(name)).timeout(TIMEOUT).GET().build();
        return response(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    static Response await(CompletableFuture<Response> response) throws Exception {
        return await(response, TIMEOUT.plusSeconds(5));
    }

    static Response await(CompletableFuture<Response> response, Duration limit) throws Exception {
        try {
            return response.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new AssertionError("No HTTP answer within " + limit, e);
        }
    }

    private static Response response(HttpResponse<String> response) {
        JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), body);
    }
}
