package dev.kpat.verify.http;

import java.util.concurrent.CompletionStage;

/** Callers that authenticate with a bearer token of their own (a ServiceAccount token), checked elsewhere. */
public interface BearerCallers {
    /** The caller's name when the token is valid and the caller allowed; null otherwise. Never blocks the caller. */
    CompletionStage<String> callerFor(String bearerToken);
}
