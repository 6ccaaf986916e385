package federation

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"time"

	"github.com/fakests/fakests/internal/idpkey"
	"github.com/fakests/fakests/internal/keypool"
)

// Every RSA provider signs with a key of its own, and a 2048-bit key costs
// tens of milliseconds to generate, so keys are made ahead by an
// internal/keypool Pool: up to rsaPoolMax ready, more when tests ask for
// them faster, none made once tests have not asked for rsaPoolIdle. Its
// filler goroutine stops then, so no goroutine of this package outlives the
// tests that used it.
const (
	rsaPoolMax  = 16
	rsaPoolIdle = 200 * time.Millisecond
)

// rsaBits is the size of every RSA key the test identity providers use.
const rsaBits = 2048

// pooledKey is a prepared RSA key with a self-signed certificate made on
// the wall clock when the key was generated (SAML IdPs need both; making
// the certificate costs an RSA signature, milliseconds).
type pooledKey struct {
	key  *rsa.PrivateKey
	cert []byte
}

// rsaPool holds the prepared keys.
var rsaPool = keypool.New(rsaPoolMax, rsaPoolIdle, newPooledKey)

// newPooledKey makes a key and its certificate.
func newPooledKey() (pooledKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, rsaBits)
	if err != nil {
		return pooledKey{}, err
	}
	return pooledKey{key: k, cert: selfSignedCert(k, time.Now())}, nil
}

// newRSAKey returns a fresh RSA key that no other caller receives.
func newRSAKey() *rsa.PrivateKey {
	k, _ := newRSAKeyWithCert()
	return k
}

// newRSAKeyWithCert is newRSAKey with the key's self-signed certificate. A
// key a test queued in internal/idpkey comes first, without a certificate
// (nil): the IdP makes one on first use. Otherwise the key comes from the
// pool: a ready one, or one made now.
func newRSAKeyWithCert() (*rsa.PrivateKey, []byte) {
	if k := idpkey.Take(); k != nil {
		return k, nil
	}
	pk, err := rsaPool.Get()
	if err != nil {
		panic("federation: cannot generate an RSA key: " + err.Error())
	}
	return pk.key, pk.cert
}

// newECKey returns a fresh ECDSA key on the given curve. EC keys are cheap
// (tens of microseconds), so they are generated on demand.
func newECKey(curve elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		panic("federation: cannot generate an EC key: " + err.Error())
	}
	return k
}
