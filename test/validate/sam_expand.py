"""Expands a SAM template into plain CloudFormation JSON with aws-sam-translator, as `sam deploy` does once
`sam package` has uploaded the code: the local CodeUri becomes the S3 object given here.

Usage: python3 sam_expand.py TEMPLATE_YAML S3_BUCKET S3_KEY > expanded.json
"""

import json
import os
import sys

from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies(ManagedPolicyLoader):
    """The generated template names its role, so SAM needs no AWS managed policy ARNs (nor IAM to list them)."""

    def __init__(self) -> None:
        pass

    def load(self) -> dict:
        return {}


def main() -> None:
    path, bucket, key = sys.argv[1:4]
    with open(path, encoding="utf-8") as stream:
        template = yaml_parse(stream.read())
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function" and "CodeUri" in resource.get("Properties", {}):
            resource["Properties"]["CodeUri"] = f"s3://{bucket}/{key}"
    # The translator fills AWS::Region and AWS::Partition from the boto session's region.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    json.dump(transform(template, {}, NoManagedPolicies()), sys.stdout, indent=1)


if __name__ == "__main__":
    main()
