#!/usr/bin/python3
"""Second, independent IPsec decoder for TsharkDecryptTest: reads a pcap (LINKTYPE_RAW) and an SA table,
verifies and decrypts every ESP packet (raw or UDP-encapsulated on port 4500, RFC 3948) and verifies every
AH packet, and prints one line per frame:

    frame <TAB> esp|ah <TAB> spi (hex) <TAB> full 64-bit sequence number <TAB> status <TAB> next header
          <TAB> pad length <TAB> payload hex (ESP: plaintext without padding/trailer; AH: what follows AH)

status is "ok", "icv-bad", "bad-padding", "no-sa" or "not-ipsec". Anything else (bad input) exits non-zero.

SA table, one SA per line:  spi(hex) suite esn(0|1) last_seq enc_key(hex or -) auth_key(hex or -)
suites: gcm (RFC 4106, 16-byte ICV), chacha20poly1305 (RFC 7634), gmac (RFC 4543 ENCR_NULL_AUTH_AES_GMAC),
cbc-sha256|cbc-sha384|cbc-sha512 (RFC 3602 + RFC 4868), ah-sha256|ah-sha384|ah-sha512 (RFC 4302 + RFC 4868).
AEAD/GMAC keys are key || 4-byte salt. last_seq is the sequence number before the first packet: the ESN high
half is inferred from it as a receiver does (RFC 4303 Appendix A2.1, window 64).

Written from the RFCs, sharing no code with the Java data plane.
"""
import hashlib
import hmac
import struct
import sys

try:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
    from cryptography.exceptions import InvalidTag
except ImportError as e:  # the test turns this exit code into a loud failure
    print("python3-cryptography missing: %s (apt-get install python3-cryptography)" % e, file=sys.stderr)
    sys.exit(3)

NAT_T_PORT = 4500
WINDOW = 64
HASHES = {"sha256": (hashlib.sha256, 16), "sha384": (hashlib.sha384, 24), "sha512": (hashlib.sha512, 32)}


class Sa:
    def __init__(self, line):
        spi, suite, esn, last, enc, auth = line.split()
        self.spi = int(spi, 16)
        self.suite = suite
        self.esn = esn == "1"
        self.top = int(last)  # highest sequence number seen so far (64 bits)
        self.enc = b"" if enc == "-" else bytes.fromhex(enc)
        self.auth = b"" if auth == "-" else bytes.fromhex(auth)

    def full_seq(self, low):
        """RFC 4303 Appendix A2.1: the high half of a 64-bit sequence number from its low half."""
        if not self.esn:
            return low
        tl, th = self.top & 0xFFFFFFFF, self.top >> 32
        if tl >= WINDOW - 1:
            return ((th + 1) << 32 | low) if low < tl - WINDOW + 1 else (th << 32 | low)
        return ((th - 1) << 32 | low) if low >= (tl - WINDOW + 1) & 0xFFFFFFFF else (th << 32 | low)

    def seen(self, seq):
        self.top = max(self.top, seq)


def esp(sa, pkt):
    """pkt = the ESP packet from the SPI on. Returns (seq, status, next header, pad length, payload)."""
    low = struct.unpack_from("!I", pkt, 4)[0]
    seq = sa.full_seq(low)
    hi = struct.pack("!I", seq >> 32)
    aad = pkt[:4] + (hi if sa.esn else b"") + pkt[4:8]  # RFC 4106 §5, RFC 7634 §2.1, RFC 4543 §3.3
    if sa.suite in ("gcm", "chacha20poly1305", "gmac"):
        key, salt = sa.enc[:-4], sa.enc[-4:]
        iv, body = pkt[8:16], pkt[16:]
        try:
            if sa.suite == "gmac":
                # RFC 4543 §3.3: the AAD is SPI, sequence number, IV and the cleartext payload; no ciphertext.
                AESGCM(key).decrypt(salt + iv, body[-16:], aad + iv + body[:-16])
                plain = body[:-16]
            elif sa.suite == "gcm":
                plain = AESGCM(key).decrypt(salt + iv, body, aad)
            else:
                plain = ChaCha20Poly1305(key).decrypt(salt + iv, body, aad)
        except InvalidTag:
            return seq, "icv-bad", 0, 0, b""
    elif sa.suite.startswith("cbc-"):
        h, icv_len = HASHES[sa.suite[4:]]
        icv = pkt[-icv_len:]
        # RFC 4303 §3.3.2.1 / §2.2.1: the ICV covers the ESP packet and, with ESN, the high 32 bits after it.
        mac = hmac.new(sa.auth, pkt[:-icv_len] + (hi if sa.esn else b""), h).digest()[:icv_len]
        if not hmac.compare_digest(mac, icv):
            return seq, "icv-bad", 0, 0, b""
        iv, ct = pkt[8:24], pkt[24:-icv_len]
        d = Cipher(algorithms.AES(sa.enc), modes.CBC(iv)).decryptor()
        plain = d.update(ct) + d.finalize()
    else:
        raise SystemExit("unknown ESP suite " + sa.suite)
    sa.seen(seq)
    pad_len, nh = plain[-2], plain[-1]
    payload, pad = plain[:-2 - pad_len], plain[-2 - pad_len:-2]
    if pad != bytes(range(1, pad_len + 1)):  # RFC 4303 §2.4 default padding
        return seq, "bad-padding", nh, pad_len, payload
    return seq, "ok", nh, pad_len, payload


def ah(sa, ip, ah_off):
    """ip = the whole IP packet, AH header at ah_off. Returns (seq, status, next header, 0, payload)."""
    h, icv_len = HASHES[sa.suite[3:]]
    nh, plen = ip[ah_off], ip[ah_off + 1]
    ah_len = (plen + 2) * 4  # RFC 4302 §2.2
    low = struct.unpack_from("!I", ip, ah_off + 8)[0]
    seq = sa.full_seq(low)
    icv = bytes(ip[ah_off + 12:ah_off + 12 + icv_len])
    m = bytearray(ip)
    # RFC 4302 §3.3.3.1: mutable fields count as zero.
    if m[0] >> 4 == 4:
        m[1] = 0  # TOS
        m[6:8] = b"\0\0"  # flags, fragment offset
        m[8] = 0  # TTL
        m[10:12] = b"\0\0"  # header checksum
    else:
        m[0:4] = b"\x60\0\0\0"  # traffic class, flow label
        m[7] = 0  # hop limit
    m[ah_off + 12:ah_off + ah_len] = bytes(ah_len - 12)  # ICV (and its padding) as zero
    hi = struct.pack("!I", seq >> 32) if sa.esn else b""  # RFC 4302 §3.3.3.2.1
    mac = hmac.new(sa.auth, bytes(m) + hi, h).digest()[:icv_len]
    if not hmac.compare_digest(mac, icv):
        return seq, "icv-bad", nh, 0, b""
    sa.seen(seq)
    return seq, "ok", nh, 0, ip[ah_off + ah_len:]


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, _, _, _, _, _, linktype = struct.unpack_from("<IHHiIII", data, 0)
    if magic != 0xA1B2C3D4 or linktype != 101:
        raise SystemExit("not a little-endian LINKTYPE_RAW pcap")
    off, n = 24, 0
    while off < len(data):
        _, _, incl, _ = struct.unpack_from("<IIII", data, off)
        n += 1
        yield n, data[off + 16:off + 16 + incl]
        off += 16 + incl


def main():
    pcap, sa_file = sys.argv[1], sys.argv[2]
    sas = {}
    with open(sa_file) as f:
        for line in f:
            if line.strip():
                sa = Sa(line)
                sas[sa.spi] = sa
    for n, ip in frames(pcap):
        if ip[0] >> 4 == 4:
            proto, l4 = ip[9], (ip[0] & 0x0F) * 4
        else:
            proto, l4 = ip[6], 40  # the data plane adds no extension headers in front of ESP/AH
        kind, off = None, l4
        if proto == 50:
            kind = "esp"
        elif proto == 51:
            kind = "ah"
        elif proto == 17 and struct.unpack_from("!H", ip, l4 + 2)[0] == NAT_T_PORT:
            if len(ip) - l4 >= 16 and ip[l4 + 8:l4 + 12] != b"\0\0\0\0":  # RFC 3948 §2.2: not a non-ESP marker
                kind, off = "esp", l4 + 8
        if kind is None:
            print("%d\t-\t-\t-\tnot-ipsec\t-\t-\t" % n)
            continue
        spi = struct.unpack_from("!I", ip, off + (4 if kind == "ah" else 0))[0]
        sa = sas.get(spi)
        if sa is None:
            print("%d\t%s\t%08x\t-\tno-sa\t-\t-\t" % (n, kind, spi))
            continue
        seq, status, nh, pad_len, payload = esp(sa, ip[off:]) if kind == "esp" else ah(sa, ip, off)
        print("%d\t%s\t%08x\t%d\t%s\t%d\t%d\t%s" % (n, kind, spi, seq, status, nh, pad_len, payload.hex()))


if __name__ == "__main__":
    main()
