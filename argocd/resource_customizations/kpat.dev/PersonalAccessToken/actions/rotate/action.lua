-- kpat issues a new value, and revokes the current one at once, whenever the kpat.dev/rotate annotation takes a
-- value it has not acted on (status.observedRotateRequest): the current time is always new.
local os = require("os")
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["kpat.dev/rotate"] = os.date("!%Y-%m-%dT%H:%M:%SZ")
return obj
