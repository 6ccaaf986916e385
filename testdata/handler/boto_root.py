"""Drive AssumeRoot and the region model on a fakests Handler with boto3.

Run by handler_root_test.go. Inputs come from FAKESTS_* environment
variables; the script prints one JSON object that maps a case name to
{"ok": <fields>} or {"error": <botocore's error dict plus HTTP facts>}, as
boto_calls.py does.
"""
import datetime
import json
import os
import sys

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
AUDIT = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
S3_UNLOCK = "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"


def client(akid, secret, token=None, validate=True, region="us-east-1"):
    cfg = botocore.config.Config(retries=NO_RETRY, parameter_validation=validate)
    return boto3.client(
        "sts",
        endpoint_url=ENDPOINT,
        region_name=region,
        aws_access_key_id=akid,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=cfg,
    )


def call(fn, shape):
    try:
        resp = fn()
    except botocore.exceptions.ClientError as e:
        md = e.response["ResponseMetadata"]
        err = dict(e.response["Error"])
        err["HTTPStatusCode"] = md["HTTPStatusCode"]
        # The modelled exception class botocore chose, if any.
        err["Class"] = type(e).__name__
        return {"error": err}
    out = shape(resp)
    out["HTTPStatusCode"] = resp["ResponseMetadata"]["HTTPStatusCode"]
    return {"ok": out}


def creds_shape(c):
    return {
        "AccessKeyIdPrefix": c["AccessKeyId"][:4],
        "SecretLen": len(c["SecretAccessKey"]),
        "HasSessionToken": bool(c["SessionToken"]),
        "Expiration": c["Expiration"].astimezone(datetime.timezone.utc).isoformat(),
    }


def main():
    akid, secret = ENV["FAKESTS_ADMIN_AKID"], ENV["FAKESTS_ADMIN_SECRET"]
    admin = client(akid, secret)
    loose = client(akid, secret, validate=False)
    member = ENV["FAKESTS_MEMBER"]
    out = {}
    issued = {}

    def assume_root():
        r = admin.assume_root(TargetPrincipal=member, TaskPolicyArn={"arn": AUDIT}, DurationSeconds=900)
        issued["root"] = r["Credentials"]
        return r

    out["AssumeRoot"] = call(
        assume_root, lambda r: {"Credentials": creds_shape(r["Credentials"]), "Keys": sorted(r.keys())}
    )
    if "root" in issued:
        c = issued["root"]
        rs = client(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        out["RootSession.GetCallerIdentity"] = call(
            lambda: rs.get_caller_identity(), lambda r: {k: r[k] for k in ("Arn", "UserId", "Account")}
        )
    out["FeatureOff"] = call(
        lambda: admin.assume_root(TargetPrincipal=member, TaskPolicyArn={"arn": S3_UNLOCK}), lambda r: {}
    )
    out["ManagementTarget"] = call(
        lambda: admin.assume_root(TargetPrincipal=ENV["FAKESTS_MANAGEMENT"], TaskPolicyArn={"arn": AUDIT}),
        lambda r: {},
    )
    # botocore checks the model's range and required members itself; the
    # recorded answers came from the server, so these skip its validation.
    out["DurationOverLimit"] = call(
        lambda: loose.assume_root(TargetPrincipal=member, TaskPolicyArn={"arn": AUDIT}, DurationSeconds=901),
        lambda r: {},
    )
    out["TaskPolicyMissingArn"] = call(
        lambda: loose.assume_root(TargetPrincipal=member, TaskPolicyArn={}), lambda r: {}
    )
    out["InvalidTaskPolicy"] = call(
        lambda: admin.assume_root(
            TargetPrincipal=member, TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}
        ),
        lambda r: {},
    )
    out["InvalidTarget"] = call(
        lambda: admin.assume_root(TargetPrincipal=ENV["FAKESTS_ADMIN_ARN"], TaskPolicyArn={"arn": AUDIT}),
        lambda r: {},
    )
    # Regions: STS deactivated in the member's account, and an opt-in region
    # the management account has not enabled.
    deactivated = client(akid, secret, region=ENV["FAKESTS_DEACTIVATED_REGION"])
    out["RegionDisabled"] = call(
        lambda: deactivated.assume_root(TargetPrincipal=member, TaskPolicyArn={"arn": AUDIT}), lambda r: {}
    )
    opt_in = client(akid, secret, region=ENV["FAKESTS_OPT_IN_REGION"])
    out["OptInRegion"] = call(lambda: opt_in.get_caller_identity(), lambda r: {})
    json.dump(out, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
