-- How a PIN wrapping is bound to the device (see vault::keys::Binding): 0 the PIN alone (made before, or
-- where the platform gives no device secret), 1 a device value computed once (the browser), 2 the device's
-- key store asked at every guess (the phones, the CLI). Wrappings are rebound at the next unlock where a
-- stronger binding is available.
ALTER TABLE vault_key_slots ADD COLUMN device_binding INTEGER NOT NULL DEFAULT 0 CHECK (device_binding IN (0, 1, 2));
