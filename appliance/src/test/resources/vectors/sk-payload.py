#!/usr/bin/env python3
"""Generates the 'kind = seal' blocks of sk-payload.txt: Encrypted payload bodies (IV | ciphertext | ICV,
RFC 7296 §3.14) computed with pyca/cryptography (OpenSSL) from fixed inputs, independently of the Java code.
  AEAD (RFC 5282 §3, RFC 7634): nonce = salt(4) | IV(8); plaintext = payloads | Pad Length 0x00;
       AAD = IKE header .. SK header; output = IV | ciphertext | 16-octet tag.
  AES-CBC + HMAC-SHA2 (RFC 3602, RFC 4868): plaintext = payloads | zero padding | Pad Length, to 16 octets;
       ICV = HMAC(SK_a, AAD | IV | ciphertext) truncated to half the hash length.
Run: python3 sk-payload.py >> sk-payload.txt (after the hand-written header and McGrew blocks)."""
import hashlib
import hmac

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305


def pattern(n, start, step=1):
    return bytes((start + i * step) & 0xFF for i in range(n))


# A 28-octet IKE header (SPIs, next payload SK=46, version 2.0, IKE_AUTH=35, flags, msg id 1, length) + SK header.
def aad(total_len, first_payload=35):
    hdr = pattern(16, 0x11) + bytes([46, 0x20, 35, 0x08]) + (1).to_bytes(4, "big") + total_len.to_bytes(4, "big")
    return hdr + bytes([first_payload, 0]) + (total_len - 28).to_bytes(2, "big")


def emit(fields):
    for k, v in fields:
        print(f"{k} = {v.hex() if isinstance(v, bytes) else v}")
    print()


IV8 = bytes.fromhex("0102030405060708")
payloads = pattern(45, 0x23, 5)
for name, encr, bits, enc_key in (("seal aes-gcm-16-128", 20, 128, pattern(20, 0x40)),
                                  ("seal aes-gcm-16-256", 20, 256, pattern(36, 0x60)),
                                  ("seal chacha20-poly1305", 28, 0, pattern(36, 0x80))):
    key, salt = enc_key[:-4], enc_key[-4:]
    sealed_len = 8 + len(payloads) + 1 + 16
    a = aad(28 + 4 + sealed_len)
    aead = AESGCM(key) if encr == 20 else ChaCha20Poly1305(key)
    sealed = IV8 + aead.encrypt(salt + IV8, payloads + b"\x00", a)
    emit([("name", name), ("kind", "seal"), ("encr", encr), ("key_bits", bits), ("integ", 0), ("enc_key", enc_key),
          ("integ_key", ""), ("iv", IV8), ("aad", a), ("plaintext", payloads), ("sealed", sealed)])

IV16 = pattern(16, 0xF0)
for name, bits, integ, h, enc_key, integ_key in (
        ("seal aes-cbc-128 hmac-sha2-256-128", 128, 12, hashlib.sha256, pattern(16, 0x31), pattern(32, 0x51)),
        ("seal aes-cbc-256 hmac-sha2-512-256", 256, 14, hashlib.sha512, pattern(32, 0x32), pattern(64, 0x52))):
    ct_len = (len(payloads) + 1 + 15) // 16 * 16
    pad = ct_len - len(payloads) - 1
    padded = payloads + bytes(pad) + bytes([pad])
    icv_len = h().digest_size // 2
    a = aad(28 + 4 + 16 + ct_len + icv_len)
    enc = Cipher(algorithms.AES(enc_key), modes.CBC(IV16)).encryptor()
    ct = enc.update(padded) + enc.finalize()
    icv = hmac.new(integ_key, a + IV16 + ct, h).digest()[:icv_len]
    emit([("name", name), ("kind", "seal"), ("encr", 12), ("key_bits", bits), ("integ", integ), ("enc_key", enc_key),
          ("integ_key", integ_key), ("iv", IV16), ("aad", a), ("plaintext", payloads), ("sealed", IV16 + ct + icv)])
