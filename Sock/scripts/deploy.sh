#!/usr/bin/env bash
# Creates or updates the function with the AWS CLI. Credentials come from your AWS CLI configuration.
# For a full stack with a least-privilege role and a log group, prefer `sam deploy --guided` (template.yaml).
set -euo pipefail
cd "$(dirname "$0")/.."

default_name='Sock'
function_name="${FUNCTION_NAME:-$default_name}"
architecture='x86_64'
zip_file='artifacts/Sock.zip'

if aws lambda get-function --function-name "$function_name" >/dev/null 2>&1; then
  aws lambda update-function-code --function-name "$function_name" \
    --zip-file "fileb://$zip_file" --architectures "$architecture" --publish
else
  role_arn="${LAMBDA_ROLE_ARN:?set LAMBDA_ROLE_ARN to an execution role that may write its logs (template.yaml defines one)}"
  aws lambda create-function --function-name "$function_name" \
    --runtime 'provided.al2023' --handler 'bootstrap' \
    --architectures "$architecture" --memory-size 512 --timeout 30 \
    --role "$role_arn" --zip-file "fileb://$zip_file"
fi
