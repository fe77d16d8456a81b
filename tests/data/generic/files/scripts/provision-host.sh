#!/bin/sh
echo 'G7yhd#jD0p.HmEX' | sudo -S apt-get update -y
echo "$SUDO_PASS" | sudo -S true
