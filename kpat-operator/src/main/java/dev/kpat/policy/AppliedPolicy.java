package dev.kpat.policy;

import dev.kpat.api.TokenPolicySpec;

/** One policy that applies to a token, with the spec it carries. */
public record AppliedPolicy(PolicyRef ref, TokenPolicySpec spec) {
}
