package net.edgegw.dataplane.io.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import net.edgegw.dataplane.encap.UdpEncap;

/**
 * The outer side of the gateway: Netty epoll UDP sockets on the NAT-T port (ESP in UDP, IKE behind the non-ESP
 * marker, keepalives; RFC 3948 §2) and optionally on the IKE port (RFC 7296 §2).
 *
 * <p>Receive: each NAT-T socket reads with recvmmsg (a fixed receive buffer holding several datagrams of at
 * most {@link #MAX_DATAGRAM} bytes, split by Netty); ESP goes to the {@link EspSink} (the forwarder, which
 * copies it once into a worker's packet buffer), IKE to the {@link IkeSink}, keepalives and garbage are
 * counted and dropped here. Several sockets share the port with SO_REUSEPORT when {@code sockets > 1}.
 *
 * <p>Send: {@link #write} copies an outer ESP packet once into a pooled direct buffer and queues it on the
 * socket; {@link #flush} ends a batch. Netty allocates one {@link DatagramPacket} per datagram (and a write task
 * when called off the event loop): tolerated for this first version.
 */
public final class UdpTransport implements Closeable {
    /** Largest datagram we receive: an outer packet on a 9000-byte link is below this. */
    public static final int MAX_DATAGRAM = 9216;
    /** Datagrams per recvmmsg call. */
    public static final int RECV_BATCH = 16;

    /** ESP arriving on the NAT-T port; {@code payload} (from its reader index) is valid only during the call. */
    public interface EspSink {
        void esp(ByteBuf payload, InetSocketAddress sender);
    }

    /** An IKE message (without the non-ESP marker), for the control plane. */
    public interface IkeSink {
        void ike(byte[] message, InetSocketAddress sender, int localPort);
    }

    private final EpollEventLoopGroup group;
    private final List<Channel> natT = new ArrayList<>();
    private Channel ikeChannel;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    public final LongAdder received = new LongAdder();
    public final LongAdder sent = new LongAdder();
    public final LongAdder keepalives = new LongAdder();
    /** Datagrams that are neither ESP, IKE nor keepalive (shorter than the non-ESP marker, socket errors). */
    public final LongAdder garbage = new LongAdder();
    /** ESP shorter than its SPI and sequence number. */
    public final LongAdder runts = new LongAdder();
    public final LongAdder ikeMessages = new LongAdder();

    private UdpTransport(int threads) {
        this.group = new EpollEventLoopGroup(threads);
    }

    /**
     * Binds {@code sockets} NAT-T sockets to {@code local:natTPort} and, if {@code ikePort != 0}, one IKE socket.
     *
     * @throws IllegalStateException if the epoll transport is unavailable
     */
    public static UdpTransport bind(InetAddress local, int natTPort, int ikePort, int sockets, EspSink esp,
                                    IkeSink ike) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty epoll transport unavailable", Epoll.unavailabilityCause());
        }
        UdpTransport t = new UdpTransport(sockets);
        try {
            for (int i = 0; i < sockets; i++) {
                Bootstrap b = t.bootstrap(new NatTHandler(t, esp, ike, natTPort))
                        .option(EpollChannelOption.SO_REUSEPORT, sockets > 1)
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECV_BATCH));
                t.natT.add(b.bind(local, natTPort).sync().channel());
            }
            if (ikePort != 0) {
                t.ikeChannel = t.bootstrap(new IkeHandler(t, ike, ikePort)).bind(local, ikePort).sync().channel();
            }
        } catch (InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    private Bootstrap bootstrap(SimpleChannelInboundHandler<DatagramPacket> handler) {
        return new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.ALLOCATOR, alloc)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(handler);
    }

    /**
     * Queues the ESP packet {@code b[off, off+len)} to {@code to} on socket {@code lane % sockets} (one copy into a
     * pooled direct buffer). Call {@link #flush} at the end of a batch.
     */
    public void write(int lane, byte[] b, int off, int len, InetSocketAddress to) {
        Channel ch = natT.get(lane % natT.size());
        ByteBuf buf = alloc.directBuffer(len, len);
        buf.writeBytes(b, off, len);
        ch.write(new DatagramPacket(buf, to), ch.voidPromise());
        sent.increment();
    }

    /** Sends what {@link #write} queued on that lane's socket. */
    public void flush(int lane) {
        natT.get(lane % natT.size()).flush();
    }

    /** Sends an IKE message from the NAT-T port (with the non-ESP marker) or from the IKE port. */
    public void sendIke(byte[] message, InetSocketAddress to, boolean natTPort) {
        Channel ch = natTPort ? natT.get(0) : ikeChannel;
        if (ch == null) {
            return;
        }
        int marker = natTPort ? UdpEncap.NON_ESP_MARKER_LEN : 0;
        ByteBuf buf = alloc.directBuffer(marker + message.length);
        buf.writeZero(marker).writeBytes(message);
        ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
    }

    public int localPort() {
        return ((InetSocketAddress) natT.get(0).localAddress()).getPort();
    }

    @Override
    public void close() {
        natT.forEach(Channel::close);
        if (ikeChannel != null) {
            ikeChannel.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** The NAT-T socket: classify by the first bytes (RFC 3948 §2.2-2.3), hand ESP and IKE on. */
    private static final class NatTHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final UdpTransport t;
        private final EspSink esp;
        private final IkeSink ike;
        private final int port;

        NatTHandler(UdpTransport t, EspSink esp, IkeSink ike, int port) {
            super(true); // release each datagram after channelRead0
            this.t = t;
            this.esp = esp;
            this.ike = ike;
            this.port = port;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket d) {
            ByteBuf c = d.content();
            int len = c.readableBytes();
            int r = c.readerIndex();
            t.received.increment();
            if (len == 1 && c.getUnsignedByte(r) == UdpEncap.NAT_KEEPALIVE_BYTE) {
                t.keepalives.increment();
            } else if (len < UdpEncap.NON_ESP_MARKER_LEN) {
                t.garbage.increment();
            } else if (c.getInt(r) == 0) {
                t.ikeMessages.increment();
                if (ike != null) {
                    byte[] m = new byte[len - UdpEncap.NON_ESP_MARKER_LEN]; // control plane: allocation is fine
                    c.getBytes(r + UdpEncap.NON_ESP_MARKER_LEN, m);
                    ike.ike(m, d.sender(), port);
                }
            } else if (len < 8) { // SPI + sequence number, RFC 4303 §2
                t.runts.increment();
            } else {
                esp.esp(c, d.sender());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            t.garbage.increment(); // e.g. ICMP port unreachable surfaced as an error; never close the socket
        }
    }

    /** The IKE port: everything is IKE (no marker, RFC 7296 §2). */
    private static final class IkeHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private final UdpTransport t;
        private final IkeSink ike;
        private final int port;

        IkeHandler(UdpTransport t, IkeSink ike, int port) {
            this.t = t;
            this.ike = ike;
            this.port = port;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket d) {
            t.ikeMessages.increment();
            if (ike != null) {
                byte[] m = new byte[d.content().readableBytes()];
                d.content().getBytes(d.content().readerIndex(), m);
                ike.ike(m, d.sender(), port);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            t.garbage.increment();
        }
    }
}
