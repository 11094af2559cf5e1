package net.edgegw.dataplane.worker;

import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import net.edgegw.dataplane.packet.Packet;

/**
 * A bounded pool of packet buffers shared by the workers and the UDP receive threads (wireguard-go style: an
 * empty pool is back-pressure, the caller drops with NO_BUFFER). Lock-free multi-producer multi-consumer: a
 * packet may be taken on one thread and returned on another after a hand-off.
 */
public final class PacketPool {
    private final Queue<Packet> free;
    private final int mtu;

    /** {@code count} buffers, each holding an {@code mtu}-sized packet with default head- and tailroom. */
    public PacketPool(int count, int mtu) {
        this.free = PlatformDependent.newFixedMpmcQueue(count);
        this.mtu = mtu;
        for (int i = 0; i < count; i++) {
            free.offer(Packet.forMtu(mtu));
        }
    }

    /** A free buffer with {@code off} at the default headroom and no data, or null when all are in use. */
    public Packet take() {
        Packet p = free.poll();
        if (p != null) {
            p.off = Packet.DEFAULT_HEADROOM;
            p.len = 0;
        }
        return p;
    }

    public void give(Packet p) {
        free.offer(p);
    }

    /** The largest packet a buffer holds at the default headroom. */
    public int mtu() {
        return mtu;
    }

    public int available() {
        return free.size();
    }
}
