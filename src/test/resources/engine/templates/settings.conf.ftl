listen = "${inventory_hostname}:8200"
region = "${region}"
