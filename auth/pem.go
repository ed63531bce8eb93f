package auth

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
)

// keyPair is a freshly made signing key in the forms it is stored in.
type keyPair struct {
	kid     string
	private []byte // PEM, PKCS #8
	public  []byte // PEM, PKIX
}

// newKeyPair makes an Ed25519 key pair named by its fingerprint.
func newKeyPair() (keyPair, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return keyPair{}, err
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return keyPair{}, err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return keyPair{}, err
	}
	return keyPair{
		kid:     fingerprint(pubDER),
		private: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER}),
		public:  pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}),
	}, nil
}

// fingerprint names a key by the first 96 bits of the SHA-256 of its PKIX
// encoding: short enough for a header, long enough never to collide, and the
// same for the same key wherever it is computed.
func fingerprint(pubDER []byte) string {
	sum := sha256.Sum256(pubDER)
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}

// parsePrivatePEM reads a PKCS #8 private key that can sign.
func parsePrivatePEM(b []byte) (crypto.Signer, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, errors.New("not a PEM PKCS #8 private key")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	s, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("signing key is not Ed25519")
	}
	return s, nil
}

// parsePublicPEM reads a PKIX public key.
func parsePublicPEM(b []byte) (crypto.PublicKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PUBLIC KEY" {
		return nil, errors.New("not a PEM PKIX public key")
	}
	return x509.ParsePKIXPublicKey(blk.Bytes)
}
