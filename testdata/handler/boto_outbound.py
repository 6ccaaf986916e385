"""Drive GetWebIdentityToken, GetDelegatedAccessToken and the outbound issuer
documents of a fakests Handler with boto3 and urllib.

Run by handler_outbound_python_test.go. Inputs come from FAKESTS_* environment
variables; the script prints one JSON object mapping a case name to
{"ok": <fields>} or {"error": <botocore's error dict plus HTTP facts>}, in
the shape boto_calls.py uses. A token's random jti is reduced to whether it
is a UUID.
"""
import base64
import datetime
import json
import os
import re
import sys
import urllib.request

try:
    import boto3
    import botocore.config
    import botocore.exceptions
except ImportError as e:  # the Go test skips (or fails in CI) on status 77
    print("cannot import boto3: %s" % e, file=sys.stderr)
    sys.exit(77)

ENV = os.environ
ENDPOINT = ENV["FAKESTS_ENDPOINT"]
NO_RETRY = {"total_max_attempts": 1}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def client(akid, secret, validate=True):
    cfg = botocore.config.Config(retries=NO_RETRY, parameter_validation=validate)
    return boto3.client(
        "sts",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id=akid,
        aws_secret_access_key=secret,
        config=cfg,
    )


def meta(resp):
    md = resp["ResponseMetadata"]
    return {
        "HTTPStatusCode": md["HTTPStatusCode"],
        "RequestIdMatchesHeader": bool(md.get("RequestId"))
        and md.get("RequestId") == md["HTTPHeaders"].get("x-amzn-requestid"),
    }


def call(fn, shape):
    try:
        resp = fn()
    except botocore.exceptions.ClientError as e:
        md = e.response["ResponseMetadata"]
        err = dict(e.response["Error"])
        err["HTTPStatusCode"] = md["HTTPStatusCode"]
        return {"error": err}
    out = shape(resp)
    out.update(meta(resp))
    return {"ok": out}


def b64(part):
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def token_shape(r):
    header, payload, sig = r["WebIdentityToken"].split(".")
    claims = json.loads(b64(payload))
    claims["jti"] = bool(UUID.match(claims["jti"]))
    return {
        "Header": b64(header).decode(),
        "Claims": claims,
        "SignatureBytes": len(b64(sig)),
        "Expiration": r["Expiration"].astimezone(datetime.timezone.utc).isoformat(),
    }


def fetch(path, host):
    req = urllib.request.Request(ENDPOINT + path, headers={"Host": host})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return {
            "Status": resp.status,
            "ContentType": resp.headers.get("Content-Type"),
            "Body": json.loads(resp.read()),
        }


def main():
    user = client(ENV["FAKESTS_USER_AKID"], ENV["FAKESTS_USER_SECRET"])
    loose = client(ENV["FAKESTS_USER_AKID"], ENV["FAKESTS_USER_SECRET"], validate=False)
    other = client(ENV["FAKESTS_OTHER_AKID"], ENV["FAKESTS_OTHER_SECRET"])
    aud = "https://api.example.com"
    out = {}
    for alg in ("RS256", "ES384"):
        out["Token." + alg] = call(
            lambda: user.get_web_identity_token(Audience=[aud], SigningAlgorithm=alg, DurationSeconds=60),
            token_shape,
        )
    out["MissingAlgorithm"] = call(lambda: loose.get_web_identity_token(Audience=[aud]), lambda r: {})
    out["EmptyAudience"] = call(
        lambda: loose.get_web_identity_token(Audience=[], SigningAlgorithm="RS256"), lambda r: {}
    )
    out["Disabled"] = call(
        lambda: other.get_web_identity_token(Audience=[aud], SigningAlgorithm="RS256"), lambda r: {}
    )
    out["Delegated"] = call(
        lambda: user.get_delegated_access_token(TradeInToken=ENV["FAKESTS_TRADE_IN"]),
        lambda r: {
            "AssumedPrincipal": r["AssumedPrincipal"],
            "AccessKeyIdPrefix": r["Credentials"]["AccessKeyId"][:4],
            "Expiration": r["Credentials"]["Expiration"].astimezone(datetime.timezone.utc).isoformat(),
            "HasPackedPolicySize": "PackedPolicySize" in r,
        },
    )
    out["DelegatedAgain"] = call(
        lambda: user.get_delegated_access_token(TradeInToken=ENV["FAKESTS_TRADE_IN"]), lambda r: {}
    )
    out["DelegatedExpired"] = call(
        lambda: user.get_delegated_access_token(TradeInToken=ENV["FAKESTS_EXPIRED_TRADE_IN"]), lambda r: {}
    )
    out["MissingTradeIn"] = call(lambda: loose.get_delegated_access_token(), lambda r: {})
    host = ENV["FAKESTS_ISSUER_HOST"]
    out["Discovery"] = {"ok": fetch("/.well-known/openid-configuration", host)}
    jwks = fetch("/.well-known/jwks.json", host)
    jwks["Body"] = [(k["kid"], k["kty"], k.get("alg"), k["use"]) for k in jwks["Body"]["keys"]]
    out["JWKS"] = {"ok": jwks}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
