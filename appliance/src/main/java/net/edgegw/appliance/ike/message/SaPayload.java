package net.edgegw.appliance.ike.message;

import java.util.ArrayList;
import java.util.List;
import net.edgegw.appliance.ike.IkeProtocolException;
import net.edgegw.appliance.ike.codec.WireReader;
import net.edgegw.appliance.ike.codec.WireWriter;

/**
 * The Security Association payload: proposals in preference order (SAi), or the single chosen one (SAr).
 *
 * <pre>
 *                      1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Next Payload  |C|  RESERVED   |         Payload Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ~                          <Proposals>                          ~
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7296#section-3.3">RFC 7296 §3.3</a>
 */
public record SaPayload(List<Proposal> proposals) implements Payload {
    public SaPayload {
        proposals = List.copyOf(proposals);
    }

    @Override
    public PayloadType type() {
        return PayloadType.SA;
    }

    @Override
    public void encodeBody(WireWriter w) {
        for (int i = 0; i < proposals.size(); i++) {
            proposals.get(i).encode(w, i == proposals.size() - 1);
        }
    }

    /**
     * Proposal numbers start at 1 and each is the previous one or one more (RFC 7296 §3.3.1); the last proposal
     * says it is the last, the others that more follow.
     */
    public static SaPayload decode(WireReader r) throws IkeProtocolException {
        List<Proposal> ps = new ArrayList<>();
        int[] last = new int[1];
        last[0] = Proposal.MORE;
        while (last[0] == Proposal.MORE) {
            if (r.remaining() == 0) {
                throw WireReader.syntax("SA payload ends before its last proposal");
            }
            Proposal p = Proposal.decode(r, last);
            int expected = ps.isEmpty() ? 1 : ps.get(ps.size() - 1).number();
            if (p.number() != expected && p.number() != expected + 1 || (ps.isEmpty() && p.number() != 1)) {
                throw WireReader.syntax("proposal number " + p.number() + " after " + (expected));
            }
            if (last[0] != Proposal.MORE && last[0] != Proposal.LAST) {
                throw WireReader.syntax("proposal last substruc " + last[0]);
            }
            ps.add(p);
        }
        r.expectEnd("SA payload");
        return new SaPayload(ps);
    }

    @Override
    public String toString() {
        return "SA" + proposals;
    }
}
