<?php
/**
 * The base configuration for WordPress (marketing site).
 *
 * @package WordPress
 */

// ** Database settings ** //
define( 'DB_NAME', 'wp_marketing' );
define( 'DB_USER', 'wp_marketing' );
define( 'DB_PASSWORD', 'vhfn_^Bl2SJHD-yku3&u&Jr4G!i#fyGT' );
define( 'DB_HOST', 'mkt-db.corp.internal' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

/**#@+
 * Authentication unique keys and salts.
 */
define( 'AUTH_KEY',         'EZ6:+eAyH_JTRPxLT19cq]98t=bMRzCc;QsfP(6?zXn_7^;ZWAQtEa.~vFgDOYOv' );
define( 'SECURE_AUTH_KEY',  'd9Ia(!!6QA]0MLtqPJFCgursm5/Z4dhH7s|R?!R@6Z:CJoJ)B:0R|9Hu(fgpgIp_' );
define( 'LOGGED_IN_KEY',    'put your unique phrase here' );
define( 'NONCE_KEY',        'put your unique phrase here' );
define( 'AUTH_SALT',        'kkFM1IYTxHdD?DLdSSi*ac(88LI,+2Rxti2#pw/]5,7;nht=DzWfKa]9I1^nX^!g' );
/**#@-*/

define( 'SMTP_PASSWORD', getenv( 'WP_SMTP_PASSWORD' ) );
define( 'FTP_USER', 'wp-updates' );
define( 'FTP_PASS', 'Nutmeg58_' );
define( 'FTP_HOST', 'mkt-web01.corp.internal' );

$table_prefix = 'wp_';
define( 'WP_DEBUG', false );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
