package dev.kpat.reconcile;

import dev.kpat.api.PersonalAccessToken;
import dev.kpat.api.TokenRecord;
import dev.kpat.lifecycle.TokenFacts;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * What the observer found for one token: the facts the planner decides on, and the objects the actor writes to.
 *
 * @param secret the Secret named by the spec, or null
 * @param named  the record the Secret names, when the Secret is the token's and the record was issued for it
 */
record Observation(PersonalAccessToken pat, TokenFacts facts, Secret secret, TokenRecord named) {
}
