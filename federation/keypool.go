package federation

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"sync"
	"time"

	"github.com/fakests/fakests/internal/idpkey"
)

// rsaPoolSize is how many RSA keys are kept ready. Generating a 2048-bit RSA
// key costs tens of milliseconds; tests create issuers and IdPs freely, so
// keys are generated ahead of time by a background goroutine and handed out
// one per instance (every instance signs with a key of its own).
const rsaPoolSize = 16

// rsaBits is the size of every RSA key the test identity providers use.
const rsaBits = 2048

// pooledKey is a prepared RSA key with a self-signed certificate made on
// the wall clock when the key was generated (SAML IdPs need both; making
// the certificate costs an RSA signature, milliseconds).
type pooledKey struct {
	key  *rsa.PrivateKey
	cert []byte
}

var (
	rsaPoolOnce sync.Once
	rsaPool     chan pooledKey
)

// startRSAPool starts the background generator the first time a key is wanted.
func startRSAPool() {
	rsaPool = make(chan pooledKey, rsaPoolSize)
	go func() {
		for {
			k, err := rsa.GenerateKey(rand.Reader, rsaBits)
			if err != nil {
				// crypto/rand does not fail on supported platforms; stop
				// filling rather than spin.
				close(rsaPool)
				return
			}
			rsaPool <- pooledKey{key: k, cert: selfSignedCert(k, time.Now())}
		}
	}()
}

// newRSAKey returns a fresh RSA key that no other caller receives. It takes a
// prepared key from the pool, waiting for the generator when the pool is empty.
func newRSAKey() *rsa.PrivateKey {
	k, _ := newRSAKeyWithCert()
	return k
}

// newRSAKeyWithCert is newRSAKey with the key's self-signed certificate. A
// key a test queued in internal/idpkey comes first, without a certificate
// (nil): the IdP makes one on first use.
func newRSAKeyWithCert() (*rsa.PrivateKey, []byte) {
	if k := idpkey.Take(); k != nil {
		return k, nil
	}
	rsaPoolOnce.Do(startRSAPool)
	if pk, ok := <-rsaPool; ok {
		return pk.key, pk.cert
	}
	k, err := rsa.GenerateKey(rand.Reader, rsaBits)
	if err != nil {
		panic("federation: cannot generate an RSA key: " + err.Error())
	}
	return k, selfSignedCert(k, time.Now())
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
