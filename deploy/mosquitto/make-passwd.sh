#!/bin/sh
# Creates the MQTT accounts of the compose deployment (docker-compose.yml):
#   - in deploy/mosquitto/passwd, Mosquitto's password file, hashed by mosquitto_passwd (Mosquitto 2 drops
#     plaintext lines): the IOC's own accounts ioc-ingest, ioc-server, ioc-simulator and ioc-health, and a
#     device account for each device id given;
#   - in .env next to docker-compose.yml, the passwords of the IOC's own accounts (MQTT_INGEST_PASSWORD, …),
#     from where compose puts them into each service's MQTT_URL. Passwords already in .env are kept, so the
#     script can run again to add devices.
#
#   deploy/mosquitto/make-passwd.sh                       # the IOC's own accounts, before the first `docker compose up`
#   deploy/mosquitto/make-passwd.sh QN-KK-001 CAM-0001    # … and a device account each: new password, printed once
#   docker compose kill -s HUP mosquitto                  # a running broker reloads the file
#
# A device account publishes only to that device's topics (deploy/mosquitto/acl). Running the script with
# an existing device id gives it a new password. To remove a device:
#   docker run --rm -v "$PWD/deploy/mosquitto:/m" eclipse-mosquitto:2 mosquitto_passwd -D /m/passwd QN-KK-001
#
# mosquitto_passwd runs in the broker's own image (or from this machine when Docker is not running). The
# broker in the image reads the file as its mosquitto user (uid 1883), so the file is made that user's.
set -eu

cd "$(dirname "$0")/../.."
PASSWD=deploy/mosquitto/passwd
ENV_FILE=.env
IMAGE=eclipse-mosquitto:2
MOSQUITTO_UID=1883

# hex: safe to paste into a URL as it is
new_password() {
  openssl rand -hex 24 2>/dev/null || od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

for id in "$@"; do
  # the device ids of contract/shared/topics.ts, without ':' (the password file's separator)
  if ! printf '%s\n' "$id" | grep -Eq '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'; then
    echo "make-passwd.sh: '$id' is not a device id (letters, digits, . _ -, up to 64)" >&2
    exit 2
  fi
  case "$id" in ioc-*)
    echo "make-passwd.sh: names starting with ioc- are the IOC's own accounts" >&2
    exit 2
  esac
done

umask 077
accounts=''
for pair in ioc-ingest:MQTT_INGEST_PASSWORD ioc-server:MQTT_SERVER_PASSWORD ioc-simulator:MQTT_SIMULATOR_PASSWORD ioc-health:MQTT_HEALTH_PASSWORD; do
  user=${pair%%:*}
  var=${pair#*:}
  password=''
  [ -f "$ENV_FILE" ] && password=$(sed -n "s/^$var=//p" "$ENV_FILE" | tail -n 1)
  if [ -z "$password" ]; then
    password=$(new_password)
    printf '%s=%s\n' "$var" "$password" >>"$ENV_FILE"
    echo "$var written to $ENV_FILE"
  fi
  accounts="$accounts$user $password
"
done
devices=''
for id in "$@"; do
  password=$(new_password)
  accounts="$accounts$id $password
"
  devices="$devices  $id  $password
"
done

# reads "user password" lines; $1: the password file
hash_into='
  set -e
  [ -f "$1" ] || : >"$1"
  while read -r user password; do mosquitto_passwd -b "$1" "$user" "$password"; done
'
if docker info >/dev/null 2>&1; then
  printf '%s' "$accounts" | docker run --rm -i -v "$PWD/deploy/mosquitto:/m" --entrypoint /bin/sh "$IMAGE" -c "
    $hash_into
    chown $MOSQUITTO_UID:$MOSQUITTO_UID \"\$1\" && chmod 0600 \"\$1\"" hash-into /m/passwd
elif command -v mosquitto_passwd >/dev/null 2>&1; then
  printf '%s' "$accounts" | sh -c "$hash_into" hash-into "$PASSWD"
  if [ "$(id -u)" = 0 ]; then
    chown "$MOSQUITTO_UID:$MOSQUITTO_UID" "$PASSWD"
  else
    echo "note: the broker container reads $PASSWD as uid $MOSQUITTO_UID: sudo chown $MOSQUITTO_UID:$MOSQUITTO_UID $PASSWD" >&2
  fi
else
  echo "make-passwd.sh: needs Docker (running) or mosquitto_passwd on this machine" >&2
  exit 1
fi

echo "accounts written to $PASSWD"
if [ -n "$devices" ]; then
  echo "device accounts (user, password; shown this once):"
  printf '%s' "$devices"
fi
