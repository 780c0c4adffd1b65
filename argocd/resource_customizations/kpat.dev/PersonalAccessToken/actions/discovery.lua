-- The rotate action: a new value at once, the current one revoked (after a leak). Not for a revoked token (final)
-- or one being deleted.
local actions = {}
local unavailable = (obj.spec ~= nil and obj.spec.revoked == true)
    or (obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil)
actions["rotate"] = {
  ["disabled"] = unavailable,
  ["iconClass"] = "fa fa-fw fa-rotate-right",
  ["displayName"] = "Rotate now (revokes the current value)"
}
return actions
