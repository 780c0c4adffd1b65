package dev.kpat.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Guard rails for the PersonalAccessTokens of its namespace. */
@Group(Labels.GROUP)
@Version("v1alpha1")
@Plural("tokenpolicies")
@ShortNames({"tokpol"})
// `kubectl get kpat` lists every kpat kind
@Categories("kpat")
@AdditionalPrinterColumn(name = "Max Lifetime", jsonPath = ".spec.maxLifetime", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Governed", jsonPath = ".status.governedTokens", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Blocked", jsonPath = ".status.blockedTokens", type = AdditionalPrinterColumn.Type.INTEGER)
public class TokenPolicy extends CustomResource<TokenPolicySpec, TokenPolicyStatus> implements Namespaced {
}
