package fakests

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// This file lets credential providers follow the engine clock. The SDK's
// aws.CredentialsCache judges expiry with the wall clock (Credentials.Expired
// asks the SDK's internal clock, which a program outside the SDK cannot
// set), so after a test moves the engine clock past an expiry the SDK's
// cache keeps handing out credentials the engine calls expired, and never
// refreshes. Engine.CredentialsCache is the same cache on the engine clock.

// CredentialsCache caches the credentials of a provider until they expire
// on the engine clock. Make one with Engine.CredentialsCache. It is safe
// for concurrent use.
type CredentialsCache struct {
	e        *Engine
	provider aws.CredentialsProvider
	opts     aws.CredentialsCacheOptions

	mu    sync.Mutex // guards creds; held while the provider refreshes
	creds *aws.Credentials
}

// CredentialsCache wraps provider as aws.NewCredentialsCache does (with
// the same options: ExpiryWindow and ExpiryWindowJitterFrac), except that
// cached credentials expire on the engine clock (WithClock), so moving the
// engine clock past their expiry makes the next Retrieve fetch new ones:
//
//	provider := stscreds.NewAssumeRoleProvider(client, roleARN)
//	cfg.Credentials = e.CredentialsCache(provider) // not aws.NewCredentialsCache(provider)
//
// provider may itself be a cache, such as the aws.CredentialsCache that
// config.LoadDefaultConfig puts in cfg.Credentials: when its credentials
// have expired on the engine clock it is invalidated (any provider with an
// Invalidate method is) before it is asked again, so
// cfg.Credentials = e.CredentialsCache(cfg.Credentials) works on a loaded
// config.
func (e *Engine) CredentialsCache(provider aws.CredentialsProvider, optFns ...func(*aws.CredentialsCacheOptions)) *CredentialsCache {
	var o aws.CredentialsCacheOptions
	for _, fn := range optFns {
		fn(&o)
	}
	o.ExpiryWindow = max(o.ExpiryWindow, 0)
	o.ExpiryWindowJitterFrac = min(max(o.ExpiryWindowJitterFrac, 0), 1)
	return &CredentialsCache{e: e, provider: provider, opts: o}
}

// Retrieve returns the cached credentials while they have not expired on
// the engine clock, and otherwise the provider's new ones. A provider's
// error is returned as aws.CredentialsCache returns it.
func (c *CredentialsCache) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.creds != nil && !c.expired(*c.creds) {
		return *c.creds, nil
	}
	if c.creds != nil {
		c.invalidateProvider()
	}
	creds, err := c.provider.Retrieve(ctx)
	if err == nil && c.expired(creds) && c.invalidateProvider() {
		// A wrapped cache handed out what its wall clock still trusts.
		creds, err = c.provider.Retrieve(ctx)
	}
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("failed to refresh cached credentials, %w", err)
	}
	if creds.CanExpire && c.opts.ExpiryWindow > 0 {
		window := c.opts.ExpiryWindow
		if c.opts.ExpiryWindowJitterFrac > 0 {
			window -= time.Duration(rand.Float64() * c.opts.ExpiryWindowJitterFrac * float64(window))
		}
		creds.Expires = creds.Expires.Add(-window)
	}
	c.creds = &creds
	return creds, nil
}

// expired reports whether creds have expired on the engine clock, as
// aws.Credentials.Expired judges on the wall clock.
func (c *CredentialsCache) expired(creds aws.Credentials) bool {
	return creds.CanExpire && !creds.Expires.After(c.e.now())
}

// invalidateProvider invalidates the provider when it can be, and reports
// whether it could.
func (c *CredentialsCache) invalidateProvider() bool {
	inv, ok := c.provider.(interface{ Invalidate() })
	if ok {
		inv.Invalidate()
	}
	return ok
}

// Invalidate forgets the cached credentials: the next Retrieve asks the
// provider again.
func (c *CredentialsCache) Invalidate() {
	c.mu.Lock()
	c.creds = nil
	c.mu.Unlock()
}

// IsCredentialsProvider reports whether the wrapped provider is of target's
// type, as aws.CredentialsCache does, for aws.IsCredentialsProvider.
func (c *CredentialsCache) IsCredentialsProvider(target aws.CredentialsProvider) bool {
	return aws.IsCredentialsProvider(c.provider, target)
}
