package net.edgegw.dataplane.worker;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import net.edgegw.dataplane.io.tun.TunDevice;
import net.edgegw.dataplane.io.udp.UdpTransport;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.stats.Drop;

/**
 * The workers of one gateway and the dispatch of received ESP to them: the SPI names the inbound SA, the SA
 * names its worker ({@link SecurityAssociation#worker}). Drops on the UDP receive threads, before any worker
 * sees the packet, are counted here.
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

    private UdpTransport udp;

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

    public void start(UdpTransport transport) {
        this.udp = transport;
        for (Worker w : workers) {
            Thread t = new Thread(w, "worker-" + w.id);
            t.setDaemon(true); // stopped by close(); never keeps a dying JVM alive
            threads.add(t);
            t.start();
        }
    }

    UdpTransport udp() {
        return udp;
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
            default: return n;
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Worker w : workers) {
            w.stop();
        }
        for (Thread t : threads) {
            t.join(2000);
        }
    }
}
