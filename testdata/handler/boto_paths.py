"""Sign GetCallerIdentity with botocore's SigV4 signer for paths other than
"/" and send it, as Vault's AWS login replays a client's signed request to
endpoint + "/" + RequestURI() (a "//" path).

Run by handler_path_test.go with FAKESTS_* environment variables; prints a
JSON list of {"Case", "Status", "Body"}, one per request sent.
"""
import json
import os
import sys
import urllib.error
import urllib.request

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as e:  # the Go test skips (or fails in CI) on status 77
    print("cannot import botocore: %s" % e, file=sys.stderr)
    sys.exit(77)

ENV = os.environ
BODY = "Action=GetCallerIdentity&Version=2011-06-15"
FORM = "application/x-www-form-urlencoded; charset=utf-8"


def signed_headers(url):
    """Sign a POST of BODY to url with botocore; return the headers to send."""
    creds = Credentials(ENV["FAKESTS_AKID"], ENV["FAKESTS_SECRET"])
    req = AWSRequest(method="POST", url=url, data=BODY, headers={"Content-Type": FORM})
    botocore.auth.SigV4Auth(creds, "sts", "us-east-1").add_auth(req)
    return {k: v for k, v in req.headers.items()}


def post(url, headers):
    req = urllib.request.Request(url, data=BODY.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def main():
    base = ENV["FAKESTS_ENDPOINT"]
    cases = (
        # Vault: the client signed "/", the server replays to "//".
        ("signed for /, sent to //", base + "/", base + "//"),
        # botocore removes empty and dot segments before signing.
        ("signed for //, sent to //", base + "//", base + "//"),
        ("signed for /a/../, sent to /a/../", base + "/a/../", base + "/a/../"),
        ("signed for /, sent to /x", base + "/", base + "/x"),
    )
    out = []
    for case, signed_url, sent_url in cases:
        status, body = post(sent_url, signed_headers(signed_url))
        out.append({"Case": case, "Status": status, "Body": body})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
