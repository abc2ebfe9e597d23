#!/usr/bin/env bash
# `npm run demo`: a real image build of the example app on the test bed, outside Actions, with the
# local directory cache: a cold run, then a code change, each on a fresh builder. Prints both runs'
# phase timings.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
echo "== test bed: Docker Engine, a registry, buildx and BuildKit (the first time about half an hour; each step prints as it goes)"
bash testbed/up.sh
set -a; . testbed/testbed.env; set +a

demo=$PWD/.demo
rm -rf "$demo"
mkdir -p "$demo/home"
cp -r examples/app "$demo/app"
cp testbed/buildkitd.toml "$demo/app/"
image="$REGISTRY/demo/app:latest"

run() {
  (cd "$demo/app" && HOME="$demo/home" GITHUB_WORKSPACE="$demo/app" node "$OLDPWD/dist/cli/index.js" \
    --tags "$image" --push \
    --build-args "PYTHON_IMAGE=$PYTHON_SLIM_IMAGE" \
    --driver-opts "image=$BUILDKIT_IMAGE
network=host" \
    --buildkitd-config buildkitd.toml \
    --cache-backend local --local-cache-dir "$demo/cache") | tee "$demo/$1.log" | grep -E '^(wheelhouse|wheels|image|key|builder):' || true
  tail -n 1 "$demo/$1.log" >"$demo/$1.json"
}

echo "== cold: nothing cached"
run cold
sed -i 's/Hello from the wheelhouse example/Hello again/' "$demo/app/site_app/views.py"
echo "== code change: views.py edited"
run change

node -e '
  const fs = require("fs");
  const runs = ["cold", "change"].map((n) => [n, JSON.parse(fs.readFileSync(process.argv[1] + "/" + n + ".json", "utf8"))]);
  const phases = Object.keys(JSON.parse(runs[0][1].timings));
  const pad = (s, n) => String(s).padEnd(n);
  console.log("\n" + pad("phase", 10) + runs.map(([n]) => pad(n, 10)).join(""));
  for (const p of [...phases, "total"]) {
    const cells = runs.map(([, o]) => {
      const t = JSON.parse(o.timings);
      return p === "total" ? Object.values(t).reduce((a, b) => a + b, 0).toFixed(1) : t[p].toFixed(1);
    });
    console.log(pad(p, 10) + cells.map((c) => pad(c + "s", 10)).join(""));
  }
  for (const [n, o] of runs) console.log(`${n}: wheelhouse ${o["wheelhouse-cache-hit"]}, ${o["wheels-built"]} wheels built, ${o["wheels-reused"]} reused, ${o.digest}`);
' "$demo"
