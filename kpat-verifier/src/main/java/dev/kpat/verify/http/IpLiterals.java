package dev.kpat.verify.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals, parsed without a resolver. {@link InetAddress#getByName} looks up anything that is not a
 * literal, so an {@code X-Forwarded-For: dead.beef} cost a DNS query on the event loop (found while writing the
 * header fuzz targets).
 */
final class IpLiterals {
    /** Longer than any IPv6 literal with brackets and a zone: not an address. */
    private static final int MAX_LENGTH = 64;

    private IpLiterals() {
    }

    /** The address {@code text} is a literal of (IPv4, IPv6, IPv6 in brackets), or null. Never a lookup. */
    static InetAddress parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null; // only for a wrong length, which NetUtil does not return
        }
    }
}
