#!/bin/sh
set -eu
cd /var/exports
zip -r -P 'Lq4!Wt9Zr3Kp' exports.zip ./daily
zip -r -P "$EXPORT_ZIP_PASSWORD" exports-enc.zip ./daily
7z a -pRq2!Wt7Zl4Kp -mhe=on exports.7z ./daily
7z a -p exports-prompt.7z ./daily
unzip -P Tw8#Lq3Zr6Kp partner-feed.zip -d ./incoming
aws configure set aws_secret_access_key Qw8Zt3Lr6Kp9Xm2Vn5Bc7Jd4Hf1Gs0Ay3Ek8Uo --profile exports
aws configure set region eu-west-1 --profile exports
aws s3 cp exports.7z s3://exports-archive/ --profile exports
