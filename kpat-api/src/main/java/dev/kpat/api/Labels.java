package dev.kpat.api;

/** Label and annotation keys that make up kpat's contract with users and with other kpat components. */
public final class Labels {
    public static final String GROUP = "kpat.dev";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "kpat-operator";
    /**
     * On the Secret, the PersonalAccessToken it belongs to: as an annotation, its exact name; as a label, the name in
     * {@link LabelValues#of label-safe form} (the name itself up to 63 characters) for {@code kubectl get -l}.
     */
    public static final String TOKEN_NAME = "kpat.dev/token-name";
    /**
     * On TokenRecords: the uid, namespace and name of the PersonalAccessToken they were issued for, as labels in
     * {@link LabelValues#of label-safe form}; {@code kpat.dev/pat-name} is also an annotation with the exact name.
     */
    public static final String PAT_UID = "kpat.dev/pat-uid";
    public static final String PAT_NAMESPACE = "kpat.dev/pat-namespace";
    public static final String PAT_NAME = "kpat.dev/pat-name";
    /** On the Secret: the TokenRecord of the value it holds, and when that value expires. */
    public static final String TOKEN_ID_ANNOTATION = "kpat.dev/token-id";
    public static final String EXPIRES_AT_ANNOTATION = "kpat.dev/expires-at";
    /** On the PersonalAccessToken: a new value of this annotation asks for an immediate rotation. */
    public static final String ROTATE_ANNOTATION = "kpat.dev/rotate";
    public static final String SECRET_TYPE = "kpat.dev/token";
    public static final String SECRET_KEY = "token";
    /**
     * On the PersonalAccessToken: the operator's finalizer, which revokes the token's values before it goes. The
     * Java Operator SDK's default name for the resource, which tokens issued by earlier versions carry.
     */
    public static final String FINALIZER = "personalaccesstokens.kpat.dev/finalizer";

    private Labels() {
    }
}
