// Package session mints the credential material that STS hands out and keeps
// the sessions it has issued. It is the engine's machinery (package fakests
// is its only user), so it lives under internal/: nothing here is for users.
//
// Access key IDs look and decode like AWS's: a four-letter prefix (AKIA for
// long-term keys, ASIA for temporary ones) and sixteen RFC 4648 base32
// characters that carry a generation flag, the 12-digit account ID and 39
// random bits, so AccountFromAccessKeyID recovers the account of any
// new-generation key, ours or AWS's (behaviour §2.4). Unique IDs of users
// and roles (AIDA…, AROA…) use the same layout plus one random character, 21
// characters in all (§2.2). Secrets are 40 characters of the base64 alphabet;
// session tokens are opaque base64 text that starts like AWS's regional tokens
// (IQoJb3JpZ2luX2Vj…) and is hundreds of characters long, padded on request
// up to MinimumSessionTokenSize and never longer than MaxTokenSize (§2.3).
//
// Pack measures how much of a session token a request's session policies and
// tags take (PackedPolicySize, behaviour §6) against PackedCapacity, fakests'
// model of the room a token has for them.
//
// Store keeps issued sessions by access key ID. It stores a digest of each
// session token rather than the token itself, so a live session costs well
// under a kilobyte plus what the caller attaches to it. Stores are safe for
// concurrent use and sharded so that parallel callers rarely contend.
//
// Everything random is read from an io.Reader the caller supplies, so the same
// bytes give the same keys, IDs and tokens.
//
// Section numbers (§n, "behaviour §n") refer to the behaviour record,
// docs/behaviour.md in this module, which gives the source of each AWS
// behaviour followed here and says which are fakests' own choices.
package session
