package net.edgegw.appliance.ike.codec;

import java.io.ByteArrayOutputStream;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.message.IkeHeader;
import net.edgegw.appliance.ike.message.IkeMessage;
import net.edgegw.appliance.ike.message.SkfPayload;

/**
 * Reassembly of one fragmented message (RFC 7383 §2.6): opened fragments of one Message ID are collected until
 * all are there, then the inner payloads are parsed. Fragments of an older message ID are ignored; a newer one
 * starts over. Bounded: at most {@link #MAX_FRAGMENTS} fragments.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7383#section-2.6">RFC 7383 §2.6</a>
 */
public final class FragmentBuffer {
    /** Our limit: an IKE_AUTH with a certificate chain is a handful of fragments. */
    public static final int MAX_FRAGMENTS = 64;

    private long messageId = -1;
    private byte[][] parts;
    private int have;
    private int firstInner;

    /** Adds one opened fragment; returns the whole message once the last one arrived, else null. */
    public IkeMessage offer(IkeHeader h, SkfPayload f) throws IkeProtocolException {
        long id = h.messageIdUnsigned();
        if (id < messageId) {
            return null;
        }
        if (f.totalFragments() > MAX_FRAGMENTS) {
            throw WireReader.syntax("message of " + f.totalFragments() + " fragments");
        }
        if (id > messageId || parts == null || parts.length != f.totalFragments()) {
            // RFC 7383 §2.6: a different Total Fragments (a retransmission with other fragmentation) restarts
            messageId = id;
            parts = new byte[f.totalFragments()][];
            have = 0;
        }
        int i = f.fragmentNumber() - 1;
        if (parts[i] != null) {
            return null; // duplicate
        }
        parts[i] = f.content();
        if (i == 0) {
            firstInner = f.firstInner();
        }
        if (++have < parts.length) {
            return null;
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            all.writeBytes(p);
        }
        parts = null;
        messageId = id + 1; // done: later fragments of this message are duplicates
        return IkeCodec.decodeReassembled(h, firstInner, all.toByteArray());
    }
}
