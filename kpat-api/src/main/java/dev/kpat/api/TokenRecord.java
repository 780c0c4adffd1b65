package dev.kpat.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The hashed record of one issued token value (cluster-scoped, named by the token id). It carries all a verifier
 * needs to decide, so verifiers watch TokenRecords only and never read Secrets.
 */
@Group(Labels.GROUP)
@Version("v1alpha1")
@Plural("tokenrecords")
@ShortNames({"tokrec"})
// `kubectl get kpat` lists every kpat kind
@Categories("kpat")
@AdditionalPrinterColumn(name = "Owner", jsonPath = ".spec.owner", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Namespace", jsonPath = ".spec.tokenRef.namespace", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Token", jsonPath = ".spec.tokenRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Expires", jsonPath = ".spec.expiresAt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Revoked", jsonPath = ".spec.revokedAt", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Uses", jsonPath = ".status.usageCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Used", jsonPath = ".status.lastUsedAt", type = AdditionalPrinterColumn.Type.DATE)
public class TokenRecord extends CustomResource<TokenRecordSpec, TokenRecordStatus> {
}
