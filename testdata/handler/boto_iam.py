"""Drive IAM's control plane on a fakests Handler with boto3, as a Python
user would: create a user and its access key, a role that trusts it, a
managed policy attached, then AssumeRole with the new key; the error cases;
pagination; a virtual MFA device enabled with two codes computed from its
seed.

Run by handler_iam_python_test.go. Inputs come from FAKESTS_* environment
variables; the script prints one JSON object that maps a case name to
{"ok": <fields>} or {"error": <botocore's error dict plus HTTP facts>}.
Variable values are reduced to their shape so the Go test can compare the
whole object.
"""
import base64
import hashlib
import hmac
import json
import os
import struct
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
ENGINE_NOW = int(ENV["FAKESTS_ENGINE_UNIX"])


def client(service, akid, secret, token=None, validate=True):
    cfg = botocore.config.Config(retries=NO_RETRY, parameter_validation=validate)
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id=akid, aws_secret_access_key=secret,
                        aws_session_token=token, config=cfg)


def call(fn, shape=lambda r: {}):
    try:
        resp = fn()
    except botocore.exceptions.ClientError as e:
        md = e.response["ResponseMetadata"]
        err = dict(e.response["Error"])
        err["HTTPStatusCode"] = md["HTTPStatusCode"]
        err["RequestIdMatchesHeader"] = bool(md.get("RequestId")) and md.get("RequestId") == md[
            "HTTPHeaders"].get("x-amzn-requestid")
        return {"error": err}
    out = shape(resp)
    md = resp["ResponseMetadata"]
    out["HTTPStatusCode"] = md["HTTPStatusCode"]
    out["RequestIdMatchesHeader"] = bool(md.get("RequestId")) and md.get("RequestId") == md[
        "HTTPHeaders"].get("x-amzn-requestid")
    return {"ok": out}


def totp(seed, step):
    """RFC 6238 with HMAC-SHA1, six digits, for a Base32 seed."""
    key = base64.b32decode(seed)
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF
    return "%06d" % (code % 1000000)


def main():
    admin = client("iam", ENV["FAKESTS_ADMIN_AKID"], ENV["FAKESTS_ADMIN_SECRET"])
    out = {}
    out["CreateUser"] = call(lambda: admin.create_user(UserName="ci", Path="/ci/"), lambda r: {
        "Arn": r["User"]["Arn"], "Path": r["User"]["Path"], "UserName": r["User"]["UserName"],
        "UserIdPrefix": r["User"]["UserId"][:4], "CreateDate": r["User"]["CreateDate"].isoformat()})
    key = admin.create_access_key(UserName="ci")["AccessKey"]
    out["CreateAccessKey"] = {"ok": {"AccessKeyIdPrefix": key["AccessKeyId"][:4], "SecretLen": len(key["SecretAccessKey"]),
                                     "Status": key["Status"], "UserName": key["UserName"]}}
    user_arn = "arn:aws:iam::123456789012:user/ci/ci"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": user_arn},
                                                     "Action": "sts:AssumeRole"}]}
    out["CreateRole"] = call(lambda: admin.create_role(RoleName="deployer", AssumeRolePolicyDocument=json.dumps(trust)),
                             lambda r: {"Arn": r["Role"]["Arn"], "Document": r["Role"]["AssumeRolePolicyDocument"],
                                        "HasMaxSessionDuration": "MaxSessionDuration" in r["Role"]})
    allow = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}
    pol = admin.create_policy(PolicyName="assume", PolicyDocument=json.dumps(allow))["Policy"]
    out["CreatePolicy"] = {"ok": {"Arn": pol["Arn"], "DefaultVersionId": pol["DefaultVersionId"],
                                  "AttachmentCount": pol["AttachmentCount"], "IsAttachable": pol["IsAttachable"]}}
    out["AttachUserPolicy"] = call(lambda: admin.attach_user_policy(UserName="ci", PolicyArn=pol["Arn"]))

    # The new key, the role that trusts its user, the attached policy.
    sts = client("sts", key["AccessKeyId"], key["SecretAccessKey"])
    ar = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/deployer", RoleSessionName="ci-run")
    c = ar["Credentials"]
    sess = client("sts", c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
    out["SessionIdentity"] = call(lambda: sess.get_caller_identity(), lambda r: {"Arn": r["Arn"]})

    out["GetRole"] = call(lambda: admin.get_role(RoleName="deployer"), lambda r: {
        "Document": r["Role"]["AssumeRolePolicyDocument"], "MaxSessionDuration": r["Role"]["MaxSessionDuration"],
        "RoleLastUsed": r["Role"]["RoleLastUsed"]})
    inline = {"Version": "2012-10-17", "Statement": [{"Sid": "with space", "Effect": "Allow", "Action": "s3:*",
                                                      "Resource": "arn:aws:s3:::a*"}]}
    admin.put_role_policy(RoleName="deployer", PolicyName="inline", PolicyDocument=json.dumps(inline))
    out["GetRolePolicy"] = call(lambda: admin.get_role_policy(RoleName="deployer", PolicyName="inline"),
                                lambda r: {"PolicyDocument": r["PolicyDocument"], "PolicyName": r["PolicyName"]})
    out["GetPolicyVersion"] = call(lambda: admin.get_policy_version(PolicyArn=pol["Arn"], VersionId="v1"),
                                   lambda r: {"Document": r["PolicyVersion"]["Document"],
                                              "IsDefaultVersion": r["PolicyVersion"]["IsDefaultVersion"]})
    out["ListAttachedUserPolicies"] = call(lambda: admin.list_attached_user_policies(UserName="ci"),
                                           lambda r: {"AttachedPolicies": r["AttachedPolicies"], "IsTruncated": r["IsTruncated"]})

    # Errors, as botocore parses IAM's error documents.
    out["GetMissingUser"] = call(lambda: admin.get_user(UserName="missing"))
    out["CreateUserAgain"] = call(lambda: admin.create_user(UserName="CI"))
    out["DeleteUserWithKeys"] = call(lambda: admin.delete_user(UserName="ci"))
    admin.create_access_key(UserName="ci")
    out["ThirdAccessKey"] = call(lambda: admin.create_access_key(UserName="ci"))
    out["MalformedTrust"] = call(lambda: admin.create_role(RoleName="bad", AssumeRolePolicyDocument='{"Version": "2012-10-17",'))
    out["InvalidMarker"] = call(lambda: admin.list_users(Marker="garbage"))
    out["AttachMissing"] = call(lambda: admin.attach_role_policy(RoleName="deployer",
                                                                 PolicyArn="arn:aws:iam::123456789012:policy/none"))
    raw = client("iam", ENV["FAKESTS_ADMIN_AKID"], ENV["FAKESTS_ADMIN_SECRET"], validate=False)
    out["LongUserName"] = call(lambda: raw.create_user(UserName="x" * 65))

    # Pagination: botocore's paginator follows IAM's markers.
    for n in ["p3", "p1", "p2"]:
        admin.create_user(UserName=n, Path="/pages/")
    names = []
    pages = 0
    for page in admin.get_paginator("list_users").paginate(PathPrefix="/pages/", PaginationConfig={"PageSize": 2}):
        pages += 1
        names += [u["UserName"] for u in page["Users"]]
    out["Paginate"] = {"ok": {"Names": names, "Pages": pages}}

    # An Inactive key authenticates nothing.
    admin.update_access_key(UserName="ci", AccessKeyId=key["AccessKeyId"], Status="Inactive")
    out["InactiveKey"] = call(lambda: sts.get_caller_identity())

    # A virtual MFA device enabled with two consecutive codes of its seed.
    dev = admin.create_virtual_mfa_device(VirtualMFADeviceName="phone")["VirtualMFADevice"]
    seed = dev["Base32StringSeed"].decode()
    step = ENGINE_NOW // 30
    out["EnableMFADevice"] = call(lambda: admin.enable_mfa_device(
        UserName="ci", SerialNumber=dev["SerialNumber"], AuthenticationCode1=totp(seed, step - 1),
        AuthenticationCode2=totp(seed, step)))
    out["ListMFADevices"] = call(lambda: admin.list_mfa_devices(UserName="ci"),
                                 lambda r: {"Serials": [d["SerialNumber"] for d in r["MFADevices"]]})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
