// A small C interface over Box2D 2.3.0 for Palestra's Box2D environments (LunarLander,
// BipedalWalker). It is compiled to WebAssembly by scripts/box2d/build.sh together with
// Box2D's own sources and glibc_sincosf.c, so the physics runs the same float32
// arithmetic that pybox2d runs under Gymnasium. Every function takes and returns plain
// numbers and pointers; vectors travel through a scratch buffer of floats.
#include <Box2D/Box2D.h>
#include <emscripten/emscripten.h>

// What the environments' contact listeners track per body.
struct BodyInfo {
  int endsEpisode;   // a contact that begins on this body sets the world's game_over
  int tracksGround;  // this body's ground_contact follows begin and end of its contacts
  int groundContact;
};

struct World;

// Sets game_over and ground_contact as LunarLander's and BipedalWalker's ContactDetector do.
class Listener : public b2ContactListener {
 public:
  World* owner;
  void BeginContact(b2Contact* contact) override;
  void EndContact(b2Contact* contact) override;
};

struct World {
  b2World world;
  Listener listener;
  int gameOver;
  explicit World(const b2Vec2& g) : world(g), gameOver(0) {
    listener.owner = this;
    world.SetContactListener(&listener);
  }
};

static BodyInfo* info(b2Body* b) { return static_cast<BodyInfo*>(b->GetUserData()); }

void Listener::BeginContact(b2Contact* contact) {
  b2Body* a = contact->GetFixtureA()->GetBody();
  b2Body* b = contact->GetFixtureB()->GetBody();
  if (info(a)->endsEpisode || info(b)->endsEpisode) owner->gameOver = 1;
  if (info(a)->tracksGround) info(a)->groundContact = 1;
  if (info(b)->tracksGround) info(b)->groundContact = 1;
}

void Listener::EndContact(b2Contact* contact) {
  b2Body* a = contact->GetFixtureA()->GetBody();
  b2Body* b = contact->GetFixtureB()->GetBody();
  if (info(a)->tracksGround) info(a)->groundContact = 0;
  if (info(b)->tracksGround) info(b)->groundContact = 0;
}

static float scratch[64];

// Keeps the closest fixture whose category has bit 1 (the ground), as BipedalWalker's lidar does.
class LidarCallback : public b2RayCastCallback {
 public:
  float fraction = 1.0f;
  float32 ReportFixture(b2Fixture* fixture, const b2Vec2& point, const b2Vec2&, float32 f) override {
    if ((fixture->GetFilterData().categoryBits & 1) == 0) return -1.0f;
    scratch[0] = point.x;
    scratch[1] = point.y;
    fraction = f;
    return f;
  }
};

extern "C" {

EMSCRIPTEN_KEEPALIVE float* pb_scratch() { return scratch; }

EMSCRIPTEN_KEEPALIVE World* pb_world_create(float gx, float gy) { return new World(b2Vec2(gx, gy)); }

EMSCRIPTEN_KEEPALIVE void pb_world_destroy(World* w) {
  for (b2Body* b = w->world.GetBodyList(); b; b = b->GetNext()) delete info(b);
  w->world.SetContactListener(nullptr);
  delete w;
}

EMSCRIPTEN_KEEPALIVE void pb_world_step(World* w, float dt, int velocityIterations, int positionIterations) {
  w->world.Step(dt, velocityIterations, positionIterations);
}

EMSCRIPTEN_KEEPALIVE int pb_world_game_over(World* w) { return w->gameOver; }

EMSCRIPTEN_KEEPALIVE void pb_world_set_game_over(World* w, int value) { w->gameOver = value; }

// type: 0 static, 2 dynamic (b2BodyType).
EMSCRIPTEN_KEEPALIVE b2Body* pb_body_create(World* w, int type, float x, float y, float angle, int endsEpisode, int tracksGround) {
  b2BodyDef def;
  def.type = static_cast<b2BodyType>(type);
  def.position.Set(x, y);
  def.angle = angle;
  b2Body* b = w->world.CreateBody(&def);
  b->SetUserData(new BodyInfo{endsEpisode, tracksGround, 0});
  return b;
}

// Destroying a body ends its contacts, and the listener still reads its info then.
EMSCRIPTEN_KEEPALIVE void pb_body_destroy(World* w, b2Body* b) {
  BodyInfo* data = info(b);
  w->world.DestroyBody(b);
  delete data;
}

static void attach(b2Body* b, const b2Shape* shape, float density, float friction, float restitution, int categoryBits, int maskBits) {
  b2FixtureDef def;
  def.shape = shape;
  def.density = density;
  def.friction = friction;
  def.restitution = restitution;
  def.filter.categoryBits = static_cast<uint16>(categoryBits);
  def.filter.maskBits = static_cast<uint16>(maskBits);
  b->CreateFixture(&def);
}

// The polygon's n vertices are scratch[0..2n).
EMSCRIPTEN_KEEPALIVE void pb_fixture_polygon(b2Body* b, int n, float density, float friction, float restitution, int categoryBits, int maskBits) {
  b2Vec2 v[b2_maxPolygonVertices];
  for (int i = 0; i < n; ++i) v[i].Set(scratch[2 * i], scratch[2 * i + 1]);
  b2PolygonShape shape;
  shape.Set(v, n);
  attach(b, &shape, density, friction, restitution, categoryBits, maskBits);
}

EMSCRIPTEN_KEEPALIVE void pb_fixture_box(b2Body* b, float hx, float hy, float density, float friction, float restitution, int categoryBits, int maskBits) {
  b2PolygonShape shape;
  shape.SetAsBox(hx, hy);
  attach(b, &shape, density, friction, restitution, categoryBits, maskBits);
}

EMSCRIPTEN_KEEPALIVE void pb_fixture_edge(b2Body* b, float x1, float y1, float x2, float y2, float density, float friction, float restitution, int categoryBits, int maskBits) {
  b2EdgeShape shape;
  shape.Set(b2Vec2(x1, y1), b2Vec2(x2, y2));
  attach(b, &shape, density, friction, restitution, categoryBits, maskBits);
}

EMSCRIPTEN_KEEPALIVE void pb_fixture_circle(b2Body* b, float radius, float x, float y, float density, float friction, float restitution, int categoryBits, int maskBits) {
  b2CircleShape shape;
  shape.m_radius = radius;
  shape.m_p.Set(x, y);
  attach(b, &shape, density, friction, restitution, categoryBits, maskBits);
}

EMSCRIPTEN_KEEPALIVE b2RevoluteJoint* pb_revolute(World* w, b2Body* a, b2Body* b, float ax, float ay, float bx, float by, int enableMotor, int enableLimit, float maxMotorTorque, float motorSpeed, float lowerAngle, float upperAngle, float referenceAngle) {
  b2RevoluteJointDef def;
  def.bodyA = a;
  def.bodyB = b;
  def.localAnchorA.Set(ax, ay);
  def.localAnchorB.Set(bx, by);
  def.enableMotor = enableMotor != 0;
  def.enableLimit = enableLimit != 0;
  def.maxMotorTorque = maxMotorTorque;
  def.motorSpeed = motorSpeed;
  def.lowerAngle = lowerAngle;
  def.upperAngle = upperAngle;
  def.referenceAngle = referenceAngle;
  return static_cast<b2RevoluteJoint*>(w->world.CreateJoint(&def));
}

// Writes [angle, speed] to scratch.
EMSCRIPTEN_KEEPALIVE void pb_joint_state(b2RevoluteJoint* j) {
  scratch[0] = j->GetJointAngle();
  scratch[1] = j->GetJointSpeed();
}

EMSCRIPTEN_KEEPALIVE void pb_joint_set_motor(b2RevoluteJoint* j, float motorSpeed, float maxMotorTorque) {
  j->SetMotorSpeed(motorSpeed);
  j->SetMaxMotorTorque(maxMotorTorque);
}

EMSCRIPTEN_KEEPALIVE void pb_apply_force_to_center(b2Body* b, float fx, float fy, int wake) {
  b->ApplyForceToCenter(b2Vec2(fx, fy), wake != 0);
}

EMSCRIPTEN_KEEPALIVE void pb_apply_linear_impulse(b2Body* b, float ix, float iy, float px, float py, int wake) {
  b->ApplyLinearImpulse(b2Vec2(ix, iy), b2Vec2(px, py), wake != 0);
}

EMSCRIPTEN_KEEPALIVE void pb_apply_torque(b2Body* b, float torque, int wake) { b->ApplyTorque(torque, wake != 0); }

// Writes [x, y, angle, vx, vy, angularVelocity, awake, groundContact] to scratch.
EMSCRIPTEN_KEEPALIVE void pb_body_state(b2Body* b) {
  const b2Vec2& p = b->GetPosition();
  const b2Vec2& v = b->GetLinearVelocity();
  scratch[0] = p.x;
  scratch[1] = p.y;
  scratch[2] = b->GetAngle();
  scratch[3] = v.x;
  scratch[4] = v.y;
  scratch[5] = b->GetAngularVelocity();
  scratch[6] = b->IsAwake() ? 1.0f : 0.0f;
  scratch[7] = static_cast<float>(info(b)->groundContact);
}

// Casts a ray from (x1, y1) to (x2, y2); returns the fraction to the nearest ground fixture
// (1 when none) and leaves the hit point in scratch[0..2).
EMSCRIPTEN_KEEPALIVE float pb_lidar(World* w, float x1, float y1, float x2, float y2) {
  LidarCallback callback;
  w->world.RayCast(&callback, b2Vec2(x1, y1), b2Vec2(x2, y2));
  return callback.fraction;
}

}  // extern "C"

extern "C" {
// b2Rot(angle) as Box2D computes it: writes [sin, cos] to scratch (for the engine's tests).
EMSCRIPTEN_KEEPALIVE void pb_rot(float angle) {
  b2Rot q(angle);
  scratch[0] = q.s;
  scratch[1] = q.c;
}
}
