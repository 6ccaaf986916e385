package fedverify

// ResetKeyCache empties the cache of parsed key sets, so a benchmark can
// measure verification with the JWKS parsed on every call.
func ResetKeyCache() {
	oidcKeyCache.mu.Lock()
	oidcKeyCache.sets = nil
	oidcKeyCache.mu.Unlock()
}
