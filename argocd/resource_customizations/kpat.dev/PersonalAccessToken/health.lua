-- Argo CD health of a kpat PersonalAccessToken (kpat.dev/v1alpha1), from the status the kpat operator writes. It
-- agrees with kstatus (Flux): the operator's Stalled and Reconciling conditions decide where they are True.
--   Healthy      Ready=True: a value is issued and valid (also right after a rotation)
--   Progressing  not looked at yet, status of an older generation, being deleted, or Reconciling=True: waiting for
--                its ServiceAccount owner (OwnerNotFound: in GitOps usually seconds away) or retrying a failed API
--                request (ReconcileError)
--   Suspended    revoked on purpose (spec.revoked: true is final; delete the token or leave it as a record)
--   Degraded     Stalled=True, waiting for a person: InvalidSpec, PolicyViolation, SecretConflict, OwnerDeleted,
--                RevokedOnReuse, Expired
-- A status written before the operator set Stalled and Reconciling is judged by its Ready condition alone.
local hs = {}

if obj.metadata ~= nil and obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Token is being deleted: its values are revoked first"
  return hs
end

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the kpat operator to issue the token"
  return hs
end

if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= nil
    and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the kpat operator to act on the latest spec"
  return hs
end

local ready = nil
local stalled = nil
local reconciling = nil
for _, condition in ipairs(obj.status.conditions) do
  if condition.type == "Ready" then
    ready = condition
  elseif condition.type == "Stalled" and condition.status == "True" then
    stalled = condition
  elseif condition.type == "Reconciling" and condition.status == "True" then
    reconciling = condition
  end
end

local function described(condition)
  if condition.reason ~= nil and condition.message ~= nil then
    return condition.reason .. ": " .. condition.message
  end
  return condition.message or condition.reason or ""
end

if stalled ~= nil then
  hs.status = "Degraded"
  hs.message = described(stalled)
  return hs
end
if reconciling ~= nil then
  hs.status = "Progressing"
  hs.message = described(reconciling)
  return hs
end
if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the kpat operator to issue the token"
  return hs
end

local message = ready.message
if message == nil then
  message = ""
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = message
  return hs
end

if obj.status.phase == "Revoked" then
  hs.status = "Suspended"
  hs.message = "Revoked: " .. message
  return hs
end

if ready.reason == "OwnerNotFound" then
  hs.status = "Progressing"
else
  hs.status = "Degraded"
end
if ready.reason ~= nil then
  hs.message = ready.reason .. ": " .. message
else
  hs.message = message
end
return hs
