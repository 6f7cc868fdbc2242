-- wrk script for bench/load: each request is a sync batch of 20 new events from one of
-- the registered devices. Event ids are unique per run, thread and request, so every
-- event is stored (a repeat would be answered "duplicate" and cost less). Like a phone,
-- each device sends back the cursor its last answer gave, so a pull reads only what is
-- new (without one every sync would re-read the household's whole history).
-- bench/load prepends RUN (a number), CONSENT (the consent text's version) and DEVICES
-- (a list of {id, auth}).
counter, thread_no, complained = 0, 0, false
cursors, seqs = {}, {}
local profile = "01900000-0000-7000-8000-000000000001"
local made = 0

function setup(thread)
  made = made + 1
  thread:set("thread_no", made)
end

local function event(device, n)
  return string.format(
    '{"event_id":"%08x-%04x-7000-8000-%012x","device_id":"%s","profile_id":"%s",' ..
    '"kind":"lesson_completed","schema_version":1,"at_ms":1790000000000,' ..
    '"payload":{"lesson":"lesson-%d"}}',
    RUN, thread_no, n, device, profile, n % 40)
end

-- Batch k (counting from 0) of a thread goes to device k mod #DEVICES.
local function device_of(n)
  return (math.floor((n - 1) / 20) % #DEVICES) + 1
end

function request()
  local i = device_of(counter + 1)
  local d = DEVICES[i]
  local parts = {}
  for i = 1, 20 do
    counter = counter + 1
    parts[i] = event(d.id, counter)
  end
  local body = '{"consent":"' .. CONSENT .. '","cursor":' .. (cursors[i] or "null") ..
    ',"events":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", "/api/v2/sync", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. d.auth,
  }, body)
end

-- Every event must be applied: say so loudly, once per thread, if one is not.
function response(status, headers, body)
  local n = string.match(body, '%-8000%-(%x+)"')
  local cursor = string.match(body, '"cursor":(%b{})')
  if n and cursor then
    -- Answers of one device can arrive out of order: keep the furthest cursor.
    local i = device_of(tonumber(n, 16))
    local seq = tonumber(string.match(cursor, '"seq":(%d+)'))
    if not seqs[i] or seqs[i] < seq then cursors[i], seqs[i] = cursor, seq end
  end
  if complained then return end
  if status ~= 200 or not string.find(body, '"applied"', 1, true)
      or string.find(body, '"rejected"', 1, true) or string.find(body, '"duplicate"', 1, true) then
    complained = true
    io.stderr:write("SYNC_NOT_APPLIED " .. status .. " " .. string.sub(body, 1, 300) .. "\n")
  end
end
