#pragma once
#define WIFI_PASSWORD "0wCVA#NJrA.ewWu"
#define PASSWORD_MAX_LEN 64
