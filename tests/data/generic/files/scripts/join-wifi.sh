#!/bin/sh
nmcli radio wifi on
nmcli dev wifi connect Warehouse-2 password 'Tq2#Wz7Lr4Kp9'
nmcli dev wifi connect Warehouse-2 --ask
nmcli con modify Forklift-IoT wifi-sec.psk "$FORKLIFT_PSK"
