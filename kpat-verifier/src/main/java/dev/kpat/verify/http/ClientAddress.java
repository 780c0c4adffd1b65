package dev.kpat.verify.http;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client's address: the TCP peer, unless the peer is a trusted proxy, in which case the right-most
 * {@code X-Forwarded-For} entry that is not itself a trusted proxy. Untrusted peers cannot spoof it. Entries must be IP
 * literals (never looked up); when the right-most untrusted one is not, the peer stands.
 */
public final class ClientAddress {
    private static final int MAX_TEXTS = 4096;
    private final List<IpSubnetFilterRule> trustedProxies;
    private final ConcurrentHashMap<SocketAddress, String> texts = new ConcurrentHashMap<>();

    /** @param cidrs e.g. {@code 10.0.0.0/8}, {@code 127.0.0.1/32}, {@code ::1/128} */
    public ClientAddress(List<String> cidrs) {
        this.trustedProxies = cidrs.stream().map(ClientAddress::rule).toList();
    }

    private static IpSubnetFilterRule rule(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("trusted proxy '" + cidr + "' is not a CIDR range such as 10.0.0.0/8");
        }
        try {
            return new IpSubnetFilterRule(cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)),
                    IpFilterRuleType.ACCEPT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted proxy '" + cidr + "' is not a CIDR range such as 10.0.0.0/8");
        }
    }

    public String of(HttpServerRequest request) {
        // the connection's peer: the request's own remoteAddress() runs vertx-web's Forwarded-header parser each
        // call, and forwarded addresses are decided here, from the trusted proxies only
        SocketAddress address = request.connection() != null ? request.connection().remoteAddress()
                : request.remoteAddress();
        String peer = address == null ? "unknown" : text(address);
        if (trustedProxies.isEmpty() || !trusted(IpLiterals.parse(peer))) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) {
                continue;
            }
            InetAddress ip = IpLiterals.parse(hop);
            if (ip == null) {
                // a proxy appends the address it saw: text that is none came from the client, unchecked
                return peer;
            }
            if (!trusted(ip)) {
                return hop;
            }
        }
        return peer;
    }

    /** The peer's address as text, formatted once per connection (the connection keeps its address object). */
    private String text(SocketAddress address) {
        String text = texts.get(address);
        if (text == null) {
            text = address.hostAddress();
            if (text == null) {
                return null; // not an IP socket
            }
            if (texts.size() >= MAX_TEXTS) {
                texts.clear(); // bounded whatever the number of clients; the ones still connected come back
            }
            texts.put(address, text);
        }
        return text;
    }

    private boolean trusted(InetAddress ip) {
        if (ip == null) {
            return false;
        }
        InetSocketAddress socket = new InetSocketAddress(ip, 0);
        for (IpSubnetFilterRule r : trustedProxies) {
            if (r.matches(socket)) {
                return true;
            }
        }
        return false;
    }
}
