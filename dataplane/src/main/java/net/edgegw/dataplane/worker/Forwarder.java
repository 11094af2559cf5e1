package net.edgegw.dataplane.worker;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import net.edgegw.dataplane.io.raw.RawEspSocket;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.tun.TunDevice;
import net.edgegw.dataplane.io.udp.UdpTransport;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.stats.Drop;

/**
 * The workers of one gateway and the dispatch of received ESP to them: the SPI names the inbound SA, the SA
 * names its worker ({@link SecurityAssociation#worker}). Drops on the UDP receive threads and on the raw ESP
 * receive thread, before any worker sees the packet, are counted here.
 */
public final class Forwarder implements UdpTransport.EspSink, AutoCloseable {
    private final Sad sad;
    private final PacketPool pool;
    private final Worker[] workers;
    private final List<Thread> threads = new ArrayList<>();
    private int nextOwner;

    public final LongAdder rxNoSa = new LongAdder();
    public final LongAdder rxNoBuffer = new LongAdder();
    public final LongAdder rxOversize = new LongAdder();
    public final LongAdder rxQueueFull = new LongAdder();
    public final LongAdder rxRunt = new LongAdder();
    /** Packets read from the raw ESP socket. */
    public final LongAdder rawReceived = new LongAdder();

    private static final int RAW_POLL_MILLIS = 100;
    private volatile boolean running = true;
    private UdpTransport udp;
    private RawEspSocket raw;

    /** Creates one worker per TUN queue; {@link #start} runs them once the UDP transport is bound. */
    public Forwarder(TunDevice tun, Sad sad, Spd spd, PacketPool pool, Worker.Settings settings) {
        this.sad = sad;
        this.pool = pool;
        this.workers = new Worker[tun.queues().size()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i, tun.queue(i), pool, this, workers, sad, spd, settings);
        }
    }

    public int workerCount() {
        return workers.length;
    }

    public Worker worker(int i) {
        return workers[i];
    }

    /** Gives {@code sa} an owner, round-robin over the workers; before traffic flows for it. */
    public void assign(SecurityAssociation sa) {
        sa.worker = nextOwner++ % workers.length;
    }

    /** Starts the workers, and a receive thread for {@code rawEsp} unless it is null (no SA without encap). */
    public void start(UdpTransport transport, RawEspSocket rawEsp) {
        this.udp = transport;
        this.raw = rawEsp;
        for (Worker w : workers) {
            thread(w, "worker-" + w.id);
        }
        if (rawEsp != null) {
            thread(this::receiveRaw, "raw-esp-rx");
        }
    }

    private void thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true); // stopped by close(); never keeps a dying JVM alive
        threads.add(t);
        t.start();
    }

    UdpTransport udp() {
        return udp;
    }

    RawEspSocket raw() {
        return raw;
    }

    /**
     * The raw ESP receive thread: one copy from the socket into a pool buffer, SPI lookup, hand-off to the SA's
     * worker. Reads until the socket is empty, then sleeps in poll(2).
     */
    private void receiveRaw() {
        int cap = pool.mtu();
        int spiAt = 0; // IPv6 raw sockets deliver the ESP packet alone
        while (running) {
            if (raw.awaitReadable(RAW_POLL_MILLIS) <= 0) {
                continue;
            }
            for (;;) {
                Packet p = pool.take();
                if (p == null) {
                    // No buffer: leave the packets queued in the kernel (it drops when the socket buffer is full).
                    rxNoBuffer.increment();
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
                    break;
                }
                int n = raw.receive(p.buf, p.off, cap);
                if (n <= 0) {
                    pool.give(p);
                    if (n == -Errno.EMSGSIZE) {
                        rxOversize.increment();
                        continue;
                    }
                    break; // empty (0) or an error: back to poll
                }
                rawReceived.increment();
                p.len = n;
                if (!raw.ipv6()) {
                    spiAt = Ipv4Header.MIN_LEN <= n ? Ipv4Header.headerLen(p.buf, p.off) : n;
                }
                if (spiAt + 8 > n) { // SPI + sequence number, RFC 4303 §2
                    rxRunt.increment();
                    pool.give(p);
                    continue;
                }
                SecurityAssociation sa = sad.inbound(NetworkOrder.i32(p.buf, p.off + spiAt));
                if (sa == null) {
                    rxNoSa.increment();
                    pool.give(p);
                } else if (!workers[sa.worker].offerReceivedRaw(p)) {
                    rxQueueFull.increment();
                    pool.give(p);
                }
            }
        }
    }

    /** On a UDP receive thread: copy the datagram once into a pool buffer and queue it for the SA's worker. */
    @Override
    public void esp(ByteBuf payload, InetSocketAddress sender) {
        int r = payload.readerIndex();
        int len = payload.readableBytes();
        SecurityAssociation sa = sad.inbound(payload.getInt(r));
        if (sa == null) {
            rxNoSa.increment();
            return;
        }
        if (len > pool.mtu()) {
            rxOversize.increment();
            return;
        }
        Packet p = pool.take();
        if (p == null) {
            rxNoBuffer.increment();
            return;
        }
        payload.getBytes(r, p.buf, p.off, len);
        p.len = len;
        if (!workers[sa.worker].offerReceived(p)) {
            pool.give(p);
            rxQueueFull.increment();
        }
    }

    /** Drops of every worker plus the receive-side ones, by reason. */
    public long drops(Drop d) {
        long n = 0;
        for (Worker w : workers) {
            n += w.drops().get(d);
        }
        switch (d) {
            case NO_SA: return n + rxNoSa.sum();
            case NO_BUFFER: return n + rxNoBuffer.sum();
            case OVERSIZE: return n + rxOversize.sum();
            case QUEUE_FULL: return n + rxQueueFull.sum();
            case RUNT: return n + rxRunt.sum();
            default: return n;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Worker w : workers) {
            w.stop();
        }
        for (Thread t : threads) {
            t.join(2000);
        }
    }
}
