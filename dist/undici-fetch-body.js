const require_body$1 = require("./body.js");
// \0deferred:undici-fetch-body
module.exports = require_body$1.require_body();
