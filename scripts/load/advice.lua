-- wrk script: POST one profile to /v1/advice. The body file is given in the environment.
local file = assert(io.open(os.getenv("COACH_BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = os.getenv("COACH_CONTENT_TYPE") or "application/json"

function done(summary, latency, requests)
    io.write(string.format("coach: non-200 responses: %d\n", summary.errors.status))
end
