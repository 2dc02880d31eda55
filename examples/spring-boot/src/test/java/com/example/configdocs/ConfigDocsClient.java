package com.example.configdocs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The service's HTTP API over real HTTP, as a client sees it, signed in with HTTP Basic. */
final class ConfigDocsClient {

    /** Longer than any wait a test asks for. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static final String OPERATOR = "operator";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Response(int status, String contentType, String retryAfter, JsonNode body) {

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
        this.base = URI.create("http://127.0.0.1:" + port + "/");
    }

    /**
     * POST /configdocs/{name} as {@code user}, with {@code requestId} as {@code X-Request-Id} (none if
     * null); {@code wait} to wait for the lock instead of a 409.
     */
    CompletableFuture<Response> updateAsync(String name, String content, String user, String requestId, boolean wait) {
        HttpRequest.Builder request = request("configdocs/" + name + (wait ? "?wait=true" : ""), user)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("content", content))));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(ConfigDocsClient::response);
    }

    Response update(String name, String content, String user, String requestId, boolean wait) throws Exception {
        return await(updateAsync(name, content, user, requestId, wait));
    }

    Response get(String name) throws IOException, InterruptedException {
        return send(request("configdocs/" + name, "alice").GET().build());
    }

    /** GET of an actuator path, e.g. {@code actuator/apilock}, as the operator. */
    Response actuator(String path) throws IOException, InterruptedException {
        return send(request("actuator/" + path, OPERATOR).GET().build());
    }

    Response actuatorDelete(String path) throws IOException, InterruptedException {
        return send(request("actuator/" + path, OPERATOR).DELETE().build());
    }

    private HttpRequest.Builder request(String path, String user) {
        String credentials = Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("Authorization", "Basic " + credentials);
    }

    private static Response send(HttpRequest request) throws IOException, InterruptedException {
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
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.headers().firstValue("Retry-After").orElse(null), body);
    }
}
