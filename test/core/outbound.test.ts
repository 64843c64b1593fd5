import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyAddress, DEFAULT_OUTBOUND_POLICY, outboundDecision, parseAllowHosts } from "../../src/core/outbound.ts";

test("addresses are classified, IPv6 forms that carry an IPv4 address by that address", () => {
  const cases: Record<string, string | null> = {
    "8.8.8.8": "public",
    "93.184.216.34": "public",
    "127.0.0.1": "loopback",
    "127.8.9.10": "loopback",
    "10.1.2.3": "private",
    "172.16.0.1": "private",
    "172.31.255.255": "private",
    "172.32.0.1": "public",
    "192.168.1.1": "private",
    "100.64.0.1": "shared",
    "100.127.255.255": "shared",
    "100.128.0.1": "public",
    "169.254.1.1": "link_local",
    "169.254.169.254": "metadata",
    "0.0.0.0": "unspecified",
    "224.0.0.1": "multicast",
    "255.255.255.255": "reserved",
    "::": "unspecified",
    "::1": "loopback",
    "::ffff:127.0.0.1": "loopback",
    "::ffff:7f00:1": "loopback",
    "::ffff:169.254.169.254": "metadata",
    "::ffff:8.8.8.8": "public",
    "::127.0.0.1": "loopback",
    "64:ff9b::10.0.0.1": "private",
    "2002:7f00:1::": "loopback",
    "fe80::1": "link_local",
    "fe80::1%eth0": "link_local",
    "fc00::1": "unique_local",
    "fd12:3456::1": "unique_local",
    "fd00:ec2::254": "metadata",
    "ff02::1": "multicast",
    "2001:db8::1": "reserved",
    "2606:4700:4700::1111": "public",
    "[::1]": "loopback",
    "localhost": null,
    "1.2.3": null,
    "01.2.3.4": null,
    "1:2:3:4:5:6:7:8:9": null,
  };
  for (const [address, expected] of Object.entries(cases)) assert.equal(classifyAddress(address), expected, address);
});

test("one rule: public yes; forbidden classes no unless the operator allows them; metadata only by name", () => {
  const at = (address: string, host = address, port = 80) => ({ host, port, address });
  assert.equal(outboundDecision(DEFAULT_OUTBOUND_POLICY, at("8.8.8.8")).allowed, true);
  for (const address of ["127.0.0.1", "10.0.0.1", "100.64.1.1", "169.254.169.254", "::1", "fd00::1", "::ffff:192.168.0.1"]) {
    assert.equal(outboundDecision(DEFAULT_OUTBOUND_POLICY, at(address)).allowed, false, address);
  }
  const allowPrivate = { allowPrivate: true, allowHosts: [] };
  assert.equal(outboundDecision(allowPrivate, at("127.0.0.1")).allowed, true);
  assert.equal(outboundDecision(allowPrivate, at("169.254.169.254")).allowed, false, "metadata stays closed");
  const list = { allowPrivate: false, allowHosts: parseAllowHosts("ollama, localhost:11434,[::1]:8080") };
  assert.equal(outboundDecision(list, at("172.18.0.5", "ollama", 11434)).allowed, true);
  assert.equal(outboundDecision(list, at("127.0.0.1", "LOCALHOST.", 11434)).allowed, true);
  assert.equal(outboundDecision(list, at("127.0.0.1", "localhost", 8080)).allowed, false);
  assert.equal(outboundDecision(list, at("::1", "::1", 8080)).allowed, true);
  assert.equal(outboundDecision(list, at("127.0.0.1", "evil.example", 11434)).allowed, false);
});

test("the allow-list is parsed strictly", () => {
  assert.deepEqual(parseAllowHosts(" a.example , b:11434,[::1]:80,10.0.0.1"), [
    { host: "a.example", port: null },
    { host: "b", port: 11434 },
    { host: "0:0:0:0:0:0:0:1", port: 80 },
    { host: "10.0.0.1", port: null },
  ]);
  assert.throws(() => parseAllowHosts("host:port"), /port/);
  assert.throws(() => parseAllowHosts("host:70000"), /port/);
  assert.throws(() => parseAllowHosts("http://x/"), RangeError);
});
