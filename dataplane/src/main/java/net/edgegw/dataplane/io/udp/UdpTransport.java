package net.edgegw.dataplane.io.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import java.io.Closeable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The IKE socket on port 500 (RFC 7296 §2), through Netty epoll: IKE messages go to the {@link IkeSink}.
 *
 * <p>The ESP hot path does not come through here. The NAT-T port (4500) belongs to the workers' own
 * {@link UdpGsoSocket}s: Netty hands every datagram over as a {@link DatagramPacket} object, on its event-loop
 * thread, so ESP needed a thread hop and a copy per datagram; a worker-owned socket moves up to 64 datagrams per
 * system call (UDP_GRO / UDP_SEGMENT) through reused native memory, on the thread that encrypts and decrypts.
 * IKE is rare and allocates anyway, so Netty's convenience costs nothing here.
 */
public final class UdpTransport implements Closeable {
    /** An IKE message (without the non-ESP marker), for the control plane. */
    public interface IkeSink {
        void ike(byte[] message, InetSocketAddress sender, int localPort);
    }

    private final EpollEventLoopGroup group;
    private Channel ikeChannel;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    public final LongAdder ikeMessages = new LongAdder();
    /** Socket errors (e.g. ICMP port unreachable surfacing). */
    public final LongAdder garbage = new LongAdder();

    private UdpTransport() {
        this.group = new EpollEventLoopGroup(1);
    }

    /**
     * Binds the IKE socket to {@code local:ikePort}.
     *
     * @throws IllegalStateException if the epoll transport is unavailable
     */
    public static UdpTransport bindIke(InetAddress local, int ikePort, IkeSink ike) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("Netty epoll transport unavailable", Epoll.unavailabilityCause());
        }
        UdpTransport t = new UdpTransport();
        try {
            t.ikeChannel = new Bootstrap().group(t.group).channel(EpollDatagramChannel.class)
                    .option(ChannelOption.ALLOCATOR, t.alloc)
                    .handler(new IkeHandler(t, ike, ikePort))
                    .bind(local, ikePort).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Sends an IKE message from the IKE port. */
    public void sendIke(byte[] message, InetSocketAddress to) {
        ByteBuf buf = alloc.directBuffer(message.length);
        buf.writeBytes(message);
        ikeChannel.writeAndFlush(new DatagramPacket(buf, to), ikeChannel.voidPromise());
    }

    public int localPort() {
        return ((InetSocketAddress) ikeChannel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (ikeChannel != null) {
            ikeChannel.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
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
