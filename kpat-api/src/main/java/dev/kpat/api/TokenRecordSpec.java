package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenRecordSpec {
    @JsonPropertyDescription("sha256:<hex> of the full token string.")
    private String hash;
    private TokenRef tokenRef;
    private String owner;
    @JsonPropertyDescription("For a ServiceAccount owner: the uid of the ServiceAccount the value was issued for. A"
            + " ServiceAccount created again under the same name has another uid and does not inherit the value.")
    private String ownerUid;
    private List<String> scopes;
    @JsonPropertyDescription("True while the value is being written to its Secret; a pending record authenticates nothing.")
    private Boolean pending;
    private String issuedAt;
    @JsonPropertyDescription("Absent for a non-expiring token.")
    private String expiresAt;
    @JsonPropertyDescription("Set when a rotation superseded this value: the end of its grace period.")
    private String validUntil;
    private String revokedAt;
    @JsonPropertyDescription("Why the value was revoked: Revoked, Deleted, ManualRotation, SecretDeleted, SecretTampered,"
            + " OwnerDeleted or ReuseDetected.")
    private String revocationReason;
    @JsonPropertyDescription("Set while a token policy blocks this token (it is not revoked): the policy and rule.")
    private String blockedBy;

    /**
     * Whether the record is pending. Deliberately not named like a bean accessor: an {@code isPending()} next to
     * {@code getPending()} makes Jackson (and the CRD generator) see two getters of one property, and ignoring one of
     * them drops {@code pending} from the wire and from the schema.
     */
    public boolean pending() {
        return Boolean.TRUE.equals(pending);
    }

    public String getHash() {
        return hash;
    }

    public void setHash(String hash) {
        this.hash = hash;
    }

    public TokenRef getTokenRef() {
        return tokenRef;
    }

    public void setTokenRef(TokenRef tokenRef) {
        this.tokenRef = tokenRef;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getOwnerUid() {
        return ownerUid;
    }

    public void setOwnerUid(String ownerUid) {
        this.ownerUid = ownerUid;
    }

    public List<String> getScopes() {
        return scopes;
    }

    public void setScopes(List<String> scopes) {
        this.scopes = scopes;
    }

    public Boolean getPending() {
        return pending;
    }

    public void setPending(Boolean pending) {
        this.pending = pending;
    }

    public String getIssuedAt() {
        return issuedAt;
    }

    public void setIssuedAt(String issuedAt) {
        this.issuedAt = issuedAt;
    }

    public String getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(String expiresAt) {
        this.expiresAt = expiresAt;
    }

    public String getValidUntil() {
        return validUntil;
    }

    public void setValidUntil(String validUntil) {
        this.validUntil = validUntil;
    }

    public String getRevokedAt() {
        return revokedAt;
    }

    public void setRevokedAt(String revokedAt) {
        this.revokedAt = revokedAt;
    }

    public String getBlockedBy() {
        return blockedBy;
    }

    public void setBlockedBy(String blockedBy) {
        this.blockedBy = blockedBy;
    }

    public String getRevocationReason() {
        return revocationReason;
    }

    public void setRevocationReason(String revocationReason) {
        this.revocationReason = revocationReason;
    }
}
