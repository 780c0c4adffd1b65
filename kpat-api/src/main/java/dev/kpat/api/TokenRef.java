package dev.kpat.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Which PersonalAccessToken a record was issued for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenRef {
    private String namespace;
    private String name;
    private String uid;

    public TokenRef() {
    }

    public TokenRef(String namespace, String name, String uid) {
        this.namespace = namespace;
        this.name = name;
        this.uid = uid;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUid() {
        return uid;
    }

    public void setUid(String uid) {
        this.uid = uid;
    }
}
