-- A PIN wrapping made with the device's secret mixed in (see vault::keys::DeviceSecret): guessing its PIN
-- needs this device. 0 for wrappings made before, or where the platform gives no device secret; they are
-- rewrapped bound at the next unlock that has one.
ALTER TABLE vault_key_slots ADD COLUMN device_bound INTEGER NOT NULL DEFAULT 0 CHECK (device_bound IN (0, 1));
