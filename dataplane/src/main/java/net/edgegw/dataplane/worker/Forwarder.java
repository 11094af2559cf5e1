package net.edgegw.dataplane.worker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import net.edgegw.dataplane.io.raw.RawEspSocket;
import net.edgegw.dataplane.encap.UdpEncap;
import net.edgegw.dataplane.io.sys.Errno;
import net.edgegw.dataplane.io.sys.ErrnoException;
import net.edgegw.dataplane.io.tun.TunDevice;
import net.edgegw.dataplane.io.udp.UdpGsoSocket;
import net.edgegw.dataplane.io.udp.UdpTransport;
import net.edgegw.dataplane.packet.Ipv4Header;
import net.edgegw.dataplane.packet.NetworkOrder;
import net.edgegw.dataplane.packet.Packet;
import net.edgegw.dataplane.sa.Direction;
import net.edgegw.dataplane.sa.Sad;
import net.edgegw.dataplane.sa.SecurityAssociation;
import net.edgegw.dataplane.spd.Spd;
import net.edgegw.dataplane.stats.Drop;

/**
 * The workers of one gateway, their NAT-T sockets (one {@link UdpGsoSocket} per worker, SO_REUSEPORT) and the
 * dispatch of raw ESP to them: the SPI names the inbound SA, the SA names its worker
 * ({@link SecurityAssociation#worker}). Drops on the raw ESP receive thread, before any worker sees the packet,
 * are counted here.
 */
public final class Forwarder implements AutoCloseable {
    /** Big buffers per worker ({@link Worker#LAYOUT_CAPACITY}): its TUN and UDP reads in progress, hand-off depth. */
    public static final int BIG_BUFFERS_PER_WORKER = 2 + 2 * 32;

    private final Sad sad;
    private final PacketPool pool;
    private final PacketPool bigPool;
    private final Worker[] workers;
    private final UdpGsoSocket[] sockets;
    private UdpTransport.IkeSink ike;
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
    private static final int RAW_QUEUE_RETRIES = 40;
    private volatile boolean running = true;
    private RawEspSocket raw;

    /**
     * Creates one worker per TUN queue (the device opened with offloads); {@link #start} opens the sockets and
     * runs them.
     */
    public Forwarder(TunDevice tun, Sad sad, Spd spd, PacketPool pool, Worker.Settings settings) {
        this.sad = sad;
        this.pool = pool;
        int n = tun.queues().size();
        this.bigPool = new PacketPool(BIG_BUFFERS_PER_WORKER * n,
                Worker.LAYOUT_CAPACITY - Packet.DEFAULT_HEADROOM - Packet.DEFAULT_TAILROOM);
        this.workers = new Worker[n];
        this.sockets = new UdpGsoSocket[n];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i, tun.queue(i), pool, bigPool, this, workers, sad, spd, settings);
        }
    }

    public int workerCount() {
        return workers.length;
    }

    public Worker worker(int i) {
        return workers[i];
    }

    /**
     * Gives {@code sa} an owner before traffic flows for it. An inbound SA belongs to the worker whose NAT-T
     * socket the kernel steers its SPI to ({@link UdpGsoSocket#steerBySpi}). An outbound SA belongs to the owner
     * of an inbound SA from the same peer, if one is installed: that worker writes the peer's packets into its TUN
     * queue, and the TUN device sends the reverse direction of those flows back to the queue that wrote them
     * (tun.c flow steering, symmetric flow hash), so a TCP connection is read, encrypted, sent, received and
     * decrypted by one worker without a hand-off. Otherwise round-robin.
     */
    public void assign(SecurityAssociation sa) {
        if (sa.direction() == Direction.INBOUND) {
            sa.worker = UdpGsoSocket.socketForSpi(sa.spi, workers.length);
            return;
        }
        for (SecurityAssociation in : sad.list()) {
            if (in.direction() == Direction.INBOUND && java.util.Arrays.equals(in.config.src(), sa.config.dst())) {
                sa.worker = UdpGsoSocket.socketForSpi(in.spi, workers.length);
                return;
            }
        }
        sa.worker = nextOwner++ % workers.length;
    }

    /**
     * Opens one NAT-T socket per worker on {@code local:natTPort} ({@code natTPort} 0: none, raw ESP only), then
     * starts the workers, and a receive thread for {@code rawEsp} unless it is null (no SA without encap).
     * {@code ikeSink} gets IKE messages arriving on the NAT-T port (may be null).
     */
    public void start(InetAddress local, int natTPort, RawEspSocket rawEsp, UdpTransport.IkeSink ikeSink)
            throws ErrnoException {
        this.raw = rawEsp;
        this.ike = ikeSink;
        if (natTPort != 0) {
            try {
                for (int i = 0; i < sockets.length; i++) {
                    sockets[i] = UdpGsoSocket.open(local, natTPort, true);
                }
                if (sockets.length > 1) {
                    sockets[0].steerBySpi(sockets.length); // inbound SA i lands on socket spi % n, see assign
                    UdpGsoSocket.checkSteering(sockets, local.isAnyLocalAddress()
                            ? (local instanceof java.net.Inet4Address ? InetAddress.getByName("127.0.0.1")
                            : InetAddress.getByName("::1")) : local);
                }
            } catch (InterruptedException e) {
                closeSockets();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking SPI steering", e);
            } catch (java.net.UnknownHostException e) {
                closeSockets();
                throw new IllegalStateException(e);
            } catch (ErrnoException | RuntimeException e) {
                closeSockets();
                throw e;
            }
        }
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

    UdpGsoSocket socket(int worker) {
        return sockets[worker];
    }

    UdpTransport.IkeSink ikeSink() {
        return ike;
    }

    RawEspSocket raw() {
        return raw;
    }

    /** The NAT-T port the sockets are bound to, 0 without sockets. */
    public int natTPort() {
        return sockets[0] == null ? 0 : sockets[0].port();
    }

    /**
     * Sends one NAT-keepalive (a single 0xFF octet, RFC 3948 §2.3) from the NAT-T port; any thread.
     *
     * @return bytes sent, or {@code -errno}
     */
    public int sendKeepalive(InetSocketAddress to) {
        UdpGsoSocket s = sockets[0];
        return s == null ? -Errno.EBADF : s.sendOnce(new byte[] {(byte) UdpEncap.NAT_KEEPALIVE_BYTE}, to);
    }

    /**
     * Sends an IKE message from the NAT-T port, behind the non-ESP marker (RFC 3948 §2.2); any thread.
     *
     * @return bytes sent, or {@code -errno}
     */
    public int sendIke(byte[] message, InetSocketAddress to) {
        UdpGsoSocket s = sockets[0];
        if (s == null) {
            return -Errno.EBADF;
        }
        byte[] d = new byte[UdpEncap.NON_ESP_MARKER_LEN + message.length]; // control plane: allocation is fine
        System.arraycopy(message, 0, d, UdpEncap.NON_ESP_MARKER_LEN, message.length);
        return s.sendOnce(d, to);
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
                } else if (!offerRaw(workers[sa.worker], p)) {
                    rxQueueFull.increment();
                    pool.give(p);
                }
            }
        }
    }

    /**
     * Queues a raw ESP packet for its worker; while the queue is full, waits up to ~2 ms for room (the socket
     * buffer keeps what arrives meanwhile) before the packet counts as QUEUE_FULL.
     */
    private boolean offerRaw(Worker w, Packet p) {
        for (int i = 0; i < RAW_QUEUE_RETRIES && running; i++) {
            if (w.offerReceivedRaw(p)) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000L);
        }
        return false;
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
        closeSockets();
    }

    private void closeSockets() {
        for (int i = 0; i < sockets.length; i++) {
            if (sockets[i] != null) {
                sockets[i].close();
            }
        }
    }
}
